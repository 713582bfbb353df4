import { describe, expect, it } from "vitest";
import { addressKey, clientAddress } from "~/utils/client-ip.server";

describe("the client's address", () => {
  it("is the connection's address when no proxy is trusted, whatever X-Forwarded-For claims", () => {
    expect(clientAddress("10.0.0.5", ["1.2.3.4"], 0)).toBe("10.0.0.5");
  });

  it("is the address the trusted proxies saw: the hop that many places before the connection", () => {
    expect(clientAddress("10.0.0.5", ["1.2.3.4"], 1)).toBe("1.2.3.4");
    // A client's own X-Forwarded-For entries come first; the proxy appends what it saw.
    expect(clientAddress("10.0.0.5", ["6.6.6.6", "1.2.3.4"], 1)).toBe("1.2.3.4");
    expect(clientAddress("10.0.0.5", ["6.6.6.6", "1.2.3.4", "10.0.0.9"], 2)).toBe("1.2.3.4");
    // More hops trusted than present: the left-most one.
    expect(clientAddress("10.0.0.5", ["1.2.3.4"], 5)).toBe("1.2.3.4");
  });

  it("counts IPv4 as is, IPv6-mapped IPv4 as IPv4, IPv6 by its /64 network, and anything else as unknown", () => {
    expect(addressKey("203.0.113.9")).toBe("203.0.113.9");
    expect(addressKey("::ffff:127.0.0.1")).toBe("127.0.0.1");
    expect(addressKey("2001:db8:1:2:aaaa::1")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:db8:1:2:bbbb:cccc:dddd:eeee")).toBe("2001:db8:1:2::/64");
    expect(addressKey("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(addressKey("[2001:0db8:0001:0002::1]")).toBe("2001:db8:1:2::/64");
    expect(addressKey("64:ff9b::1.2.3.4")).toBe("64:ff9b:0:0::/64");
    expect(addressKey("not an address")).toBe("unknown");
    expect(addressKey("")).toBe("unknown");
  });
});
