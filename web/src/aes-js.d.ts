declare module "aes-js" {
  interface BlockMode {
    encrypt(data: Uint8Array): Uint8Array;
    decrypt(data: Uint8Array): Uint8Array;
  }

  const aesjs: {
    ModeOfOperation: { ecb: new (key: Uint8Array) => BlockMode };
  };
  export default aesjs;
}
