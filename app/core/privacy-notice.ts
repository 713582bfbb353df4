import type { LocalizedText } from "./text";

/**
 * The privacy notice (PDPA B.E. 2562 s.23) every application is filed under. Changing the text means a new
 * version: each case records the version its applicant consented to, and when.
 */
export const PRIVACY_NOTICE_VERSION = "2026-12-01";

export type NoticeSection = { heading: LocalizedText; body: LocalizedText };

export const PRIVACY_NOTICE: { title: LocalizedText; sections: NoticeSection[] } = {
  title: { th: "ประกาศความเป็นส่วนตัว", en: "Privacy notice" },
  sections: [
    {
      heading: { th: "ข้อมูลที่เก็บ", en: "What we collect" },
      body: {
        th: "ข้อมูลที่ท่านกรอกในแบบคำขอ (เช่น ชื่อ เลขประจำตัวประชาชน ที่อยู่ หมายเลขโทรศัพท์ อีเมล) เอกสารแนบ บัญชีผู้ใช้ และประวัติการดำเนินการกับคำขอ ระบบเก็บเฉพาะช่องที่แบบคำขอกำหนดเท่านั้น",
        en: "What you enter in the application form (such as your name, national ID, address, phone number and e-mail), your attachments, your account, and the history of actions on your application. Only the fields the form declares are stored.",
      },
    },
    {
      heading: { th: "วัตถุประสงค์และฐานทางกฎหมาย", en: "Why, and on what legal basis" },
      body: {
        th: "เพื่อพิจารณาคำขอ ออกใบอนุญาต แจ้งผล และเผยแพร่ข้อมูลใบอนุญาตที่กฎหมายกำหนดให้เปิดเผย โดยอาศัยการปฏิบัติหน้าที่ตามกฎหมายของหน่วยงาน (พ.ร.บ.คุ้มครองข้อมูลส่วนบุคคล พ.ศ. 2562 มาตรา 24) และความยินยอมของท่าน",
        en: "To decide your application, issue a permit, notify you, and publish the permit details the law requires to be public, as the agency's legal duty (Personal Data Protection Act B.E. 2562 s.24) and with your consent.",
      },
    },
    {
      heading: { th: "ผู้ที่เห็นข้อมูล", en: "Who sees it" },
      body: {
        th: "เฉพาะเจ้าหน้าที่ของหน่วยงานที่รับคำขอตามบทบาทที่ได้รับมอบหมาย ทะเบียนใบอนุญาตสาธารณะแสดงเฉพาะรายการที่กฎหมายกำหนดและปกปิดเลขประจำตัวประชาชน บันทึกของระบบปกปิดเลขประจำตัวประชาชนและหมายเลขโทรศัพท์",
        en: "Only the staff of the agency handling your application, by their assigned roles. The public permit registry shows only the details the law requires, never national IDs. System logs mask national IDs and phone numbers.",
      },
    },
    {
      heading: { th: "ระยะเวลาเก็บรักษา", en: "How long it is kept" },
      body: {
        th: "แต่ละบริการกำหนดระยะเวลาเก็บข้อมูลส่วนบุคคลของคำขอที่ปิดแล้วไว้ในคู่มือบริการ เมื่อครบกำหนด ระบบลบข้อมูลในแบบคำขอและเอกสารแนบ คงไว้เพียงเลขที่คำขอ ผลการพิจารณา ข้อมูลสาธารณะของใบอนุญาต และบันทึกการตรวจสอบ",
        en: "Each service sets how long personal data of closed applications is kept. After that, the form data and attachments are deleted; only the tracking number, the outcome, the permit's public details and the audit record remain.",
      },
    },
    {
      heading: { th: "สิทธิของท่าน", en: "Your rights" },
      body: {
        th: "ท่านดาวน์โหลดข้อมูลทั้งหมดที่ระบบเก็บเกี่ยวกับท่านได้จากหน้า \"คำขอของฉัน\" และมีสิทธิขอแก้ไข คัดค้าน หรือร้องเรียนต่อสำนักงานคณะกรรมการคุ้มครองข้อมูลส่วนบุคคล",
        en: "You can download everything held about you from \"My requests\", and you may ask for corrections, object, or complain to the Personal Data Protection Committee.",
      },
    },
  ],
};
