/** The data a conversation carries between turns (kept small: it is stored, and never holds message text). */
export interface FlowContext {
  language: string;
  /** True once the user picked a language themself: it then wins over deep links and platform hints. */
  languageChosen?: boolean;
  /** Where the person is now: sets the emergency number. */
  country?: string;
  /** Where the job is (the screening asks before its result). Never mixed up with `country`. */
  jobCountry?: string;
  /** The person's home country, only when they gave it (never inferred from the language): adds its lines for citizens abroad. */
  home?: string;
  /** True once the home-country question was answered or skipped: it is asked once. */
  homeAsked?: boolean;
  /** Answers to questions that the dialogue needs later (screening), by question id. */
  answers: Record<string, string>;
  /** The level of a pasted job ad, kept only until its result is shown (asked where the job is in between); never its text. */
  adLevel?: 'low' | 'caution' | 'high' | 'urgent';
  /** Rotates through facts so the user sees a new one each time. */
  factCursor: number;
  /** The parameters of the called flow the conversation is in (`call: { params }`); values from the flow's declared lists, never user text. */
  params?: Record<string, string>;
  /** What the last called flow returned (`return: menu`), for `when: { returned: menu }` on the step after the call. */
  returned?: string;
}

/** Which country a country question sets: where the person is, where the job is, or their home. */
export type CountryField = 'country' | 'job' | 'home';

/** The id of the button that skips an optional question (`skip:` on a country question). */
export const SKIP_CHOICE = 'skip';

/** Events the compiled machines understand. */
export type FlowEvent =
  | { type: 'flow.enter'; state: string }
  | { type: 'user.choice'; choice: string }
  | { type: 'user.option'; value: string }
  | { type: 'user.text'; text: string; places?: readonly string[] };
