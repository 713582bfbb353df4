import http from "node:http";
import { Agent, setGlobalDispatcher } from "undici";

// Every test request opens its own connection. A kept-alive socket that the server closes while this process is
// blocked (execFileSync, a busy machine) would be reused on the next request and fail with "other side closed" —
// a flake that depends on timing, not on the product. `pipelining: 0` is undici's "no keep-alive"; it is also
// the dispatcher behind Node's global fetch.
setGlobalDispatcher(new Agent({ pipelining: 0 }));
http.globalAgent = new http.Agent({ keepAlive: false });
