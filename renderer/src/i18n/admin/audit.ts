const en = {};

const de: typeof en = {};

export const auditMessages = { en, de };
