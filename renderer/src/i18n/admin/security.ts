const en = {};

const de: typeof en = {};

export const securityMessages = { en, de };
