import { describe, expect, it } from "vitest";
import { newCspNonce } from "~/utils/web-security.server";

/** The CSP nonce of each response (decision 038: drawn a block of random bytes at a time). */
describe("CSP nonces", () => {
  it("gives every response 16 bytes of its own, also across blocks of the generator", () => {
    // given three blocks' worth of responses
    const nonces = Array.from({ length: 3 * 256 + 7 }, () => newCspNonce());
    // then each is 16 bytes in base64 and none repeats (byte-for-byte, not only as strings)
    for (const nonce of nonces) {
      expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
      expect(Buffer.from(nonce, "base64")).toHaveLength(16);
    }
    expect(new Set(nonces).size).toBe(nonces.length);
  });
});
