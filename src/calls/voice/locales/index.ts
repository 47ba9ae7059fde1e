import type { Locale } from '../sentences';
import { ENGLISH } from './en';
import { SPANISH } from './es';
import { KOREAN } from './ko';

/** The languages `ASSISTANT_LANGUAGE` may name (ISO 639-1, as the transcriber takes them). */
export const LOCALES = {
  en: ENGLISH,
  ko: KOREAN,
  es: SPANISH,
} as const satisfies Record<string, Locale>;

export type AssistantLanguage = keyof typeof LOCALES;
export const ASSISTANT_LANGUAGES = Object.keys(LOCALES) as AssistantLanguage[];
