// One i18n library for the page (i18next): English and Russian, Russian plural rules through
// Intl.PluralRules (i18next picks `_one/_few/_many/_other`), and `{name}` placeholders.

import i18next, {type TFunction} from "i18next";
import {initReactI18next} from "react-i18next";
import {en} from "./en";
import {ru} from "./ru";

export const LANGUAGES = ["en", "ru"] as const;
export type Lang = (typeof LANGUAGES)[number];
const LANGUAGE_KEY = "chartgenius.language";

export function pick(language: unknown): Lang {
  return language === "ru" ? "ru" : "en";
}

export function savedLanguage(): Lang {
  try {
    const saved = localStorage.getItem(LANGUAGE_KEY);
    if (saved) return pick(saved);
  } catch {
    // no storage
  }
  return typeof navigator !== "undefined" && navigator.language.startsWith("ru") ? "ru" : "en";
}

export function saveLanguage(language: Lang): void {
  try {
    localStorage.setItem(LANGUAGE_KEY, language);
  } catch {
    // no storage
  }
}

export const i18n = i18next.createInstance();

void i18n.use(initReactI18next).init({
  resources: {en: {translation: en}, ru: {translation: ru}},
  lng: "en",
  fallbackLng: "en",
  interpolation: {escapeValue: false, prefix: "{", suffix: "}"},
  returnNull: false,
  initAsync: false,
});

/** A translator fixed to one language (a result card speaks its analysis's language). */
export function fixedT(language: Lang): TFunction {
  return i18n.getFixedT(language);
}
