/**
 * Checks every number in the hotline directory against libphonenumber-js metadata, so that a typo
 * made by NGO staff fails validation instead of reaching someone in danger.
 */
import { isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { CountryCode } from 'libphonenumber-js/max';
import type { HelplineNumber, HotlineFile } from './hotline-schema.js';

/** One number that failed a check: where it is in the file, what it says, how to fix it. */
export interface PhoneProblem {
  /** Path inside the file, e.g. `countries.MD.helplines[0].numbers[1].number`. */
  path: string;
  number: string;
  /** A plain-English sentence NGO staff can act on. */
  fix: string;
}

// libphonenumber-js has no short-number metadata (unlike Google's ShortNumberInfo), so short
// codes are checked by shape only: 2 to 6 digits, explicitly flagged by whoever typed them.
const SHORT_CODE_DIGITS = { min: 2, max: 6 };
// What people write around digits: spaces, dashes, dots, brackets, and one leading plus.
const WRITTEN_NUMBER = /^\+?[\d\s\-().]+$/;

const digitsOf = (written: string): string => written.replace(/\D/g, '');

/** Lists every number in the directory that is malformed, mis-flagged or invalid for its country. */
export function checkHotlineNumbers(file: HotlineFile): PhoneProblem[] {
  const problems: PhoneProblem[] = [];
  for (const [cc, entry] of Object.entries(file.countries)) {
    const at = `countries.${cc}`;
    if (!isSupportedCountry(cc)) {
      problems.push({ path: at, number: '', fix: `"${cc}" is not a country code the phone checker knows: use the ISO 3166-1 two-letter code, e.g. MD.` });
      continue;
    }
    checkEmergencyCode(problems, `${at}.emergency.number`, entry.emergency.number);
    if (entry.emergency.police !== undefined) checkEmergencyCode(problems, `${at}.emergency.police`, entry.emergency.police);

    entry.helplines.forEach((helpline, h) => {
      helpline.numbers.forEach((n, i) => {
        const problem = checkNumber(cc, n);
        if (problem) problems.push({ path: `${at}.helplines[${h}].numbers[${i}].number`, number: n.number, fix: problem });
      });
      if (helpline.whatsapp !== undefined) {
        const problem = checkWhatsapp(cc, helpline.whatsapp);
        if (problem) problems.push({ path: `${at}.helplines[${h}].whatsapp`, number: helpline.whatsapp, fix: problem });
      }
      if (helpline.sms !== undefined) {
        const problem = checkSms(cc, helpline.sms);
        if (problem) problems.push({ path: `${at}.helplines[${h}].sms`, number: helpline.sms, fix: problem });
      }
    });
  }
  return problems;
}

/** What a phone should dial for a `tel:` link: E.164 for normal numbers, bare digits for short codes. */
export function dialString(country: string, n: HelplineNumber): string {
  if (n.shortCode) return digitsOf(n.number);
  const parsed = isSupportedCountry(country) ? parsePhoneNumberFromString(n.number, country) : undefined;
  if (parsed) return parsed.number;
  // checkHotlineNumbers rejects such a file at load; keep a dialable best effort rather than throw mid-conversation.
  return (n.number.trim().startsWith('+') ? '+' : '') + digitsOf(n.number);
}

function checkNumber(cc: CountryCode, n: HelplineNumber): string | undefined {
  const written = n.number.trim();
  if (!WRITTEN_NUMBER.test(written)) {
    return 'Write the number with digits only (spaces, dashes and brackets are fine). Letters such as "800SAVE" cannot be checked or dialled from a button.';
  }
  const digits = digitsOf(written);
  const international = written.startsWith('+');

  if (n.shortCode) {
    if (international)
      return 'A short code cannot start with +: remove "shortCode: true" if this is a full international number, or remove the + and country code.';
    if (n.from !== 'inside') return 'Short codes only work inside the country: set "from: inside", or write the full international number for callers abroad.';
    if (digits.length < SHORT_CODE_DIGITS.min || digits.length > SHORT_CODE_DIGITS.max) {
      return `A short code has ${SHORT_CODE_DIGITS.min} to ${SHORT_CODE_DIGITS.max} digits; this one has ${digits.length}. Remove "shortCode: true" and write the full number.`;
    }
    return undefined;
  }

  if (!international && digits.length <= SHORT_CODE_DIGITS.max) {
    return `This looks like a short code (${digits.length} digits): add "shortCode: true" if it is one, or write the full number with its area code.`;
  }
  if (n.from !== 'inside' && !international) {
    return `A number dialled from ${n.from === 'abroad' ? 'abroad' : 'anywhere'} must be written in international form: start with + and the country code, e.g. "+373 22 23 33 09".`;
  }
  if (!parsePhoneNumberFromString(written, cc)?.isValid()) {
    return `This is not a valid phone number for ${cc}: check every digit against the source, and if it belongs to another country write it starting with + and that country's code.`;
  }
  return undefined;
}

function checkEmergencyCode(problems: PhoneProblem[], path: string, written: string): void {
  const digits = digitsOf(written);
  const wellFormed = /^[\d\s]+$/.test(written.trim()) && digits.length >= SHORT_CODE_DIGITS.min && digits.length <= SHORT_CODE_DIGITS.max;
  if (!wellFormed) {
    problems.push({ path, number: written, fix: 'Give one emergency short code here (2 to 6 digits, e.g. "112"); put any other numbers in "others".' });
  }
}

/** The number an SMS button texts: the first run of digits (and spaces) in the written text, as the answer reads it. */
const SMS_NUMBER = /\+?\d[\d ]*\d/;

function checkSms(cc: CountryCode, written: string): string | undefined {
  const found = written.match(SMS_NUMBER)?.[0];
  if (!found) return 'Write the number that takes text messages, e.g. "SMS to 1343" or "+66 99 130 1300".';
  const digits = digitsOf(found).length;
  if (!found.startsWith('+') && digits >= SHORT_CODE_DIGITS.min && digits <= SHORT_CODE_DIGITS.max) return undefined;
  if (!parsePhoneNumberFromString(found, cc)?.isValid()) {
    return `The SMS number "${found}" is not a valid phone number for ${cc}: check every digit against the source, or write a short code of ${SHORT_CODE_DIGITS.min} to ${SHORT_CODE_DIGITS.max} digits.`;
  }
  return undefined;
}

function checkWhatsapp(cc: CountryCode, written: string): string | undefined {
  const trimmed = written.trim();
  if (!WRITTEN_NUMBER.test(trimmed) || !trimmed.startsWith('+')) {
    return 'Write the WhatsApp number in international form with digits only, e.g. "+55 61 99611-0100".';
  }
  if (!parsePhoneNumberFromString(trimmed, cc)?.isValid()) {
    return 'This WhatsApp number is not a valid phone number: check every digit against the source.';
  }
  return undefined;
}
