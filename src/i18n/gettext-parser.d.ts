// gettext-parser 10 ships no types (and @types/gettext-parser describes version 9): only what we use.
declare module 'gettext-parser' {
  export interface PoComments {
    translator?: string;
    reference?: string;
    extracted?: string;
    flag?: string;
    previous?: string;
  }
  export interface PoEntry {
    msgctxt?: string;
    msgid: string;
    msgid_plural?: string;
    msgstr: string[];
    comments?: PoComments;
  }
  export interface PoData {
    charset: string;
    headers: Record<string, string>;
    /** translations[msgctxt][msgid]; the header is the entry with empty context and id. */
    translations: Record<string, Record<string, PoEntry>>;
  }
  export const po: {
    parse(input: string | Buffer, options?: { defaultCharset?: string; validation?: boolean }): PoData;
    compile(table: PoData, options?: { foldLength?: number; sort?: boolean }): Buffer;
  };
}
