const en = {};

const de: typeof en = {};

export const groupsMessages = { en, de };
