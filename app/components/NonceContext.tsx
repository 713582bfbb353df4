import { createContext, useContext } from "react";

/**
 * The request's CSP nonce, given by entry.server from the load context. The browser hides nonces from the DOM,
 * so on the client it is empty: the scripts it marks have already run.
 */
const NonceContext = createContext<string>("");

export const NonceProvider = NonceContext.Provider;
export const useNonce = () => useContext(NonceContext);
