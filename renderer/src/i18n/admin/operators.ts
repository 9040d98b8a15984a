const en = {};

const de: typeof en = {};

export const operatorsMessages = { en, de };
