/**
 * Signs permits and result letters with the issuing agency's Ed25519 key. The key pair is generated on
 * first use and stored in the database with the private half encrypted (AES-256-GCM under
 * KEY_ENCRYPTION_SECRET), so every web process and worker signs with the same key and nothing lands in
 * the repository. Public keys are published at /.well-known/borikan-keys.json.
 */
import { createHash, createPrivateKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { CompactSign, type JWK } from "jose";
import stringify from "safe-stable-stringify";
import { SIGNATURE_ALG, type KeySet, type PublishedKey } from "~/core/permits/permit-signature";
import { findSigningKey, insertSigningKey, listSigningKeys, type SigningKeyDoc } from "~/models/signing-key.server";
import { seal, unseal } from "~/utils/encryption.server";

// The key derivation is the shared one (utils/encryption.server.ts), so keys sealed before stay readable.
const SIGNING_KEYS = "borikan-signing-keys";
const encrypt = (plain: string) => seal(SIGNING_KEYS, plain);
const decrypt = (sealed: string) => unseal(SIGNING_KEYS, sealed);

function newKeyDoc(agencyId: string): SigningKeyDoc {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const jwk = publicKey.export({ format: "jwk" }) as JWK;
  const thumb = createHash("sha256").update(String(jwk.x)).digest("base64url").slice(0, 10);
  const kid = `${agencyId}-${thumb}`;
  return {
    _id: agencyId,
    kid,
    publicJwk: JSON.stringify({ ...jwk, kid, alg: SIGNATURE_ALG, use: "sig" }),
    privateKeyEncrypted: encrypt(privateKey.export({ format: "pem", type: "pkcs8" }).toString()),
    createdAt: new Date(),
  };
}

/** Decrypted private keys by kid; the key document is read once per process (models/signing-key.server.ts). */
const decrypted = new Map<string, KeyObject>();

async function agencyKey(agencyId: string): Promise<{ kid: string; key: KeyObject }> {
  let doc = await findSigningKey(agencyId);
  if (!doc) {
    const fresh = newKeyDoc(agencyId);
    doc = (await insertSigningKey(fresh)) ? fresh : await findSigningKey(agencyId);
    if (!doc) throw new Error(`Signing key of ${agencyId} vanished after a concurrent insert`);
  }
  let key = decrypted.get(doc.kid);
  if (!key) {
    key = createPrivateKey(decrypt(doc.privateKeyEncrypted));
    decrypted.set(doc.kid, key);
  }
  return { kid: doc.kid, key };
}

/** Signs canonical JSON (keys sorted) as a compact JWS. */
export async function signDocument(agencyId: string, payload: object, type: string): Promise<{ kid: string; jws: string }> {
  const { kid, key } = await agencyKey(agencyId);
  const bytes = new TextEncoder().encode(stringify(payload));
  const jws = await new CompactSign(bytes).setProtectedHeader({ alg: SIGNATURE_ALG, kid, typ: type }).sign(key);
  return { kid, jws };
}

let cachedKeySet: { at: number; keySet: KeySet } | null = null;
const KEY_SET_TTL_MS = 60_000;

/**
 * Every agency's public key. Keys never change once made, so the set is cached briefly; pass the kid a
 * signature names and a key made since (in another process) is fetched at once.
 */
export async function publishedKeySet(needKid?: string): Promise<KeySet> {
  const fresh = cachedKeySet && Date.now() - cachedKeySet.at < KEY_SET_TTL_MS;
  if (fresh && (!needKid || cachedKeySet!.keySet.keys.some((k) => k.kid === needKid))) return cachedKeySet!.keySet;
  const docs = await listSigningKeys();
  const keySet = {
    keys: docs.map((d): PublishedKey => ({ kid: d.kid, agency: d._id, jwk: JSON.parse(d.publicJwk) as PublishedKey["jwk"] })),
  };
  cachedKeySet = { at: Date.now(), keySet };
  return keySet;
}
