import { Session } from "@shopify/shopify-api";
import type { SessionStorage } from "@shopify/shopify-app-session-storage";
import { TokenDecryptionError, tokenContext, type TokenCipher } from "./token-cipher.server";

/**
 * The library's session storage with the tokens encrypted: PrismaSessionStorage (or any
 * storage) underneath sees only ciphertext, the library above only plaintext.
 *
 * Offline sessions are handed to the library WITHOUT their refresh token. With
 * `expiringOfflineAccessTokens` the library would otherwise refresh a nearly expired
 * offline token by itself (authenticate.webhook, unauthenticated.admin) — without the
 * cross-process lock and compare-and-swap of ~/shopify/offline-token.server, so two
 * refreshes could race and leave a retired token stored. Only that module refreshes.
 * The library still stores the pairs it gets from token exchange; those arrive whole.
 */
export class EncryptedSessionStorage implements SessionStorage {
  private readonly inner: SessionStorage;
  private readonly cipher: TokenCipher;
  private readonly onOfflineStored?: (shop: string) => Promise<void>;

  constructor(
    inner: SessionStorage,
    cipher: TokenCipher,
    options: {
      /** After an offline session is stored, written or not (ends a token exchange's hold). */
      onOfflineStored?: (shop: string) => Promise<void>;
    } = {},
  ) {
    this.inner = inner;
    this.cipher = cipher;
    this.onOfflineStored = options.onOfflineStored;
  }

  async storeSession(session: Session): Promise<boolean> {
    try {
      return await this.storeEncrypted(session);
    } finally {
      if (!session.isOnline) await this.onOfflineStored?.(session.shop);
    }
  }

  private storeEncrypted(session: Session): Promise<boolean> {
    const params = session.toObject();
    const encrypted = new Session({
      ...params,
      accessToken: params.accessToken
        ? this.cipher.encrypt(params.accessToken, tokenContext(session.id, "access_token"))
        : params.accessToken,
      refreshToken: params.refreshToken
        ? this.cipher.encrypt(params.refreshToken, tokenContext(session.id, "refresh_token"))
        : params.refreshToken,
    });
    return this.inner.storeSession(encrypted);
  }

  async loadSession(id: string): Promise<Session | undefined> {
    const session = await this.inner.loadSession(id);
    return session ? this.forLibrary(session) : undefined;
  }

  async findSessionsByShop(shop: string): Promise<Session[]> {
    const sessions = (await this.inner.findSessionsByShop(shop)).map((session) => this.forLibrary(session));
    return sessions.filter((session): session is Session => session !== undefined);
  }

  deleteSession(id: string): Promise<boolean> {
    return this.inner.deleteSession(id);
  }

  deleteSessions(ids: string[]): Promise<boolean> {
    return this.inner.deleteSessions(ids);
  }

  /**
   * A token that does not decrypt (its key removed too early, or the row altered) counts
   * as no session: the library then gets a new token by token exchange and overwrites it.
   */
  private forLibrary(stored: Session): Session | undefined {
    const params = stored.toObject();
    let accessToken = params.accessToken;
    try {
      if (accessToken) accessToken = this.cipher.decrypt(accessToken, tokenContext(stored.id, "access_token")).value;
    } catch (error) {
      if (!(error instanceof TokenDecryptionError)) throw error;
      console.error(`[tokens] ${error.message}; treating the session as missing`);
      return undefined;
    }
    return new Session({ ...params, accessToken, refreshToken: undefined, refreshTokenExpires: undefined });
  }
}
