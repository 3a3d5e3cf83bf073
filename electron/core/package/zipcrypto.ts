// The traditional PKWARE cipher (ZipCrypto) the official website's zips use: a streaming decipher, nothing more.
const CRC_TABLE = (() => {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return table;
})();

/** Traditional PKWARE encryption ("ZipCrypto", APPNOTE 6.1): three keys updated with each plain byte. */
export class ZipCryptoDecipher {
  #k0 = 0x12345678;
  #k1 = 0x23456789;
  #k2 = 0x34567890;
  constructor(password: string) {
    for (const byte of new TextEncoder().encode(password)) this.#update(byte);
  }
  #update(byte: number): void {
    this.#k0 = (CRC_TABLE[(this.#k0 ^ byte) & 0xff] ?? 0) ^ (this.#k0 >>> 8);
    this.#k1 = (Math.imul((this.#k1 + (this.#k0 & 0xff)) | 0, 134775813) + 1) | 0;
    this.#k2 = (CRC_TABLE[(this.#k2 ^ (this.#k1 >>> 24)) & 0xff] ?? 0) ^ (this.#k2 >>> 8);
  }
  /** Decrypts `bytes` in place and returns them; the keys carry on into the next call. */
  decrypt(bytes: Uint8Array): Uint8Array {
    // Locals in the loop: the keys stay in registers (a field access per byte was several times slower).
    let k0 = this.#k0;
    let k1 = this.#k1;
    let k2 = this.#k2;
    for (let i = 0; i < bytes.length; i++) {
      const t = (k2 | 2) & 0xffff;
      const plain = ((bytes[i] ?? 0) ^ (Math.imul(t, t ^ 1) >>> 8)) & 0xff;
      bytes[i] = plain;
      k0 = (CRC_TABLE[(k0 ^ plain) & 0xff] ?? 0) ^ (k0 >>> 8);
      k1 = (Math.imul((k1 + (k0 & 0xff)) | 0, 134775813) + 1) | 0;
      k2 = (CRC_TABLE[(k2 ^ (k1 >>> 24)) & 0xff] ?? 0) ^ (k2 >>> 8);
    }
    this.#k0 = k0;
    this.#k1 = k1;
    this.#k2 = k2;
    return bytes;
  }
}
