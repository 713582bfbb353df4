import type { ServiceDefinition } from "./types";

/**
 * The smallest complete service a new draft starts from: one applicant field, one officer step that
 * answers, and the manual's required parts. It passes validation, so the studio always edits something
 * that could be published.
 */
export function emptyDefinition(id: string, title: { th: string; en: string }): ServiceDefinition {
  return {
    manifest: {
      id,
      title,
      description: { th: "คำอธิบายบริการ (แก้ไขได้)", en: "What the service is for (edit me)" },
      level: "initial",
      category: "petition",
      statutoryDays: 15,
      form: id,
      workflow: id,
      roles: ["officer"],
      fees: [],
      documents: [],
      summary: { applicantName: "/applicant/fullName" },
      issuesPermit: false,
    },
    form: {
      schema: {
        $schema: "http://json-schema.org/draft-07/schema#",
        type: "object",
        title: title.th,
        "x-en": { title: title.en },
        required: ["applicant"],
        properties: {
          applicant: {
            type: "object",
            title: "ผู้ยื่นคำขอ",
            "x-en": { title: "Applicant" },
            required: ["fullName"],
            properties: {
              fullName: { type: "string", title: "ชื่อ-นามสกุล", "x-en": { title: "Full name" }, minLength: 2, maxLength: 200 },
            },
          },
        },
      },
      uiSchema: {},
    },
    workflow: {
      id,
      initial: "review",
      states: {
        review: {
          meta: { label: { th: "พิจารณาคำขอ", en: "Review" }, slaDays: 15 },
          on: {
            ANSWER: {
              target: "answered",
              actions: [{ type: "issueResult", params: { kind: "answer" } }, { type: "notifyApplicant" }],
              meta: { roles: ["officer"], label: { th: "ตอบผู้ยื่น", en: "Answer the applicant" }, commentRequired: true, tone: "primary" },
            },
          },
        },
        answered: { type: "final", meta: { label: { th: "ตอบแล้ว", en: "Answered" }, outcome: "approved" } },
      },
    },
  } as ServiceDefinition;
}
