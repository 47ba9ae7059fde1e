import type { Locale } from '../sentences';
import { ENGLISH } from './en';

/** The languages `ASSISTANT_LANGUAGE` may name; the key is also the transcriber's language code. */
export const LOCALES = {
  en: ENGLISH,
} as const satisfies Record<string, Locale>;

export type AssistantLanguage = keyof typeof LOCALES;
export const ASSISTANT_LANGUAGES = Object.keys(LOCALES) as AssistantLanguage[];
