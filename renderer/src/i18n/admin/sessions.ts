const en = {};

const de: typeof en = {};

export const sessionsMessages = { en, de };
