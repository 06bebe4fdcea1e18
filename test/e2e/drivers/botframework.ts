import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChannelDriver, Seen, UserAction } from './driver.js';
import { startE2eServer } from './start-server.js';
import type { E2eServer } from './start-server.js';

/** A Bot Framework activity as JSON (what crosses the wire both ways). */
export type Activity = Record<string, any>;

/** A button a user can press: its label and what a Bot Framework client posts for it. */
interface ActionButton {
  label: string;
  text: string;
  value: unknown;
}

/** Every request bound: a hung server fails the test instead of hanging it. */
const REQUEST_TIMEOUT_MS = 10_000;
const CHOICE_ACTIONS = new Set(['messageBack', 'imBack', 'postBack']);

/** A Bot Connector stand-in on 127.0.0.1: records every activity the bot sends to serviceUrl. */
export interface ConnectorStub {
  url: string;
  received: { path: string; authorization: string | undefined; activity: Activity }[];
  close(): Promise<void>;
}

/** Starts the connector stub; it answers every send with a resource id, as the real connector does. */
export async function startConnectorStub(): Promise<ConnectorStub> {
  const received: ConnectorStub['received'] = [];
  let sent = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      received.push({ path: req.url ?? '', authorization: req.headers.authorization, activity: text ? (JSON.parse(text) as Activity) : {} });
      sent += 1;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `sent-${sent}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function choiceButtons(actions: unknown): ActionButton[] {
  if (!Array.isArray(actions)) return [];
  return actions
    .filter((action: Activity) => CHOICE_ACTIONS.has(action.type))
    .map((action: Activity) => ({ label: String(action.title ?? action.text ?? ''), text: String(action.text ?? action.title ?? ''), value: action.value }));
}

/** A message's paragraphs as the user reads them: a Markdown link `[shown](target)` shows its text. */
function paragraphsOf(text: string): string[] {
  return text
    .split('\n\n')
    .map((part) => part.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').trim())
    .filter(Boolean);
}

/** The targets of a message's Markdown links (`tel:` numbers, web addresses). */
export function linkTargetsIn(activities: readonly Activity[]): string[] {
  return activities.flatMap((activity) => (typeof activity.text === 'string' ? [...activity.text.matchAll(/\]\(([^)]*)\)/g)].map((match) => match[1]!) : []));
}

/**
 * What a user sees of the bot's activities: message paragraphs (one activity may carry a whole
 * reply, one paragraph per core message), card texts, a call button's number
 * when the message text does not show it already, a link button as `label: url` (the Telegram
 * channel shows links that way too) when the text does not show its label already (a numbers
 * answer writes "Website: lastrada.md" and adds a button for it), and the choice buttons offered last (suggested actions or
 * card buttons). Events (such as `lantern/forget`) show nothing.
 */
export function seenIn(activities: readonly Activity[]): Seen & { actions: ActionButton[] } {
  const texts: string[] = [];
  let actions: ActionButton[] = [];
  for (const activity of activities) {
    if (activity.type !== 'message') continue;
    const text = typeof activity.text === 'string' ? activity.text.trim() : '';
    if (text) texts.push(...paragraphsOf(text));
    for (const attachment of (activity.attachments ?? []) as Activity[]) {
      const card = attachment.content as Activity | undefined;
      if (!card || typeof card !== 'object') continue;
      for (const part of [card.title, card.subtitle, card.text]) if (typeof part === 'string' && part.trim()) texts.push(part.trim());
      for (const button of (card.buttons ?? []) as Activity[]) {
        if (button.type !== 'openUrl' || typeof button.value !== 'string') continue;
        if (button.value.startsWith('tel:')) {
          const number = String(button.title ?? '')
            .replace(/^📞\s*/u, '')
            .trim();
          if (number && !text.includes(number)) texts.push(number);
        } else if (!text.includes(String(button.title ?? '').trim())) {
          texts.push(`${String(button.title ?? '').trim()}: ${button.value}`);
        }
      }
      const pressable = choiceButtons(card.buttons);
      if (pressable.length > 0) actions = pressable;
    }
    const suggested = choiceButtons(activity.suggestedActions?.actions);
    if (suggested.length > 0) actions = suggested;
  }
  return { texts, buttons: actions.map((action) => action.label), actions };
}

/** The locale and country a start payload (`md_ro`, `_uk`, `ua`, like Telegram's deep link) asks for. */
export function startHints(payload: string | null): { locale?: string; country?: string } {
  if (!payload) return {};
  const [countryPart = '', languagePart = ''] = payload.trim().split('_', 2);
  return {
    ...(/^[A-Za-z]{2}$/.test(countryPart) ? { country: countryPart.toUpperCase() } : {}),
    ...(/^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8}){0,3}$/.test(languagePart) ? { locale: languagePart } : {}),
  };
}

/** A Bot Framework conversation driver, with the pieces a test may want to look at. */
export interface BotFrameworkDriver extends ChannelDriver {
  server: E2eServer;
  connector: ConnectorStub;
  conversationId: string;
  /** Posts one raw activity (conversation fields filled in unless given) and returns what the bot sent for it. */
  post(activity: Activity): Promise<{ status: number; sent: Activity[] }>;
  /** Another user's conversation on the same server and connector; closing the driver closes it. */
  openConversation(): ChannelDriver;
}

/**
 * One conversation on POST /api/messages of a real Lantern server, with a connector stub that
 * receives the replies. The endpoint answers only after the turn (and every send to the
 * connector) finished, so "the bot is quiet" is simply "the POST returned".
 */
export async function createBotFrameworkDriver(options: { env?: Record<string, string> } = {}): Promise<BotFrameworkDriver> {
  const connector = await startConnectorStub();
  let server: E2eServer;
  try {
    // The connector stub listens on 127.0.0.1: replies are posted there only with the emulator setting.
    server = await startE2eServer({ env: { BOT_EMULATOR: 'true', ...options.env } });
  } catch (error) {
    await connector.close();
    throw error;
  }
  const first = conversationOn(server, connector);
  return {
    name: 'botframework',
    server,
    connector,
    conversationId: first.conversationId,
    post: first.post,
    act: first.act,
    openConversation() {
      return { name: 'botframework', act: conversationOn(server, connector).act, close: async () => undefined };
    },
    async close() {
      try {
        await server.close();
      } finally {
        await connector.close();
      }
    },
  };
}

/** One user's conversation on POST /api/messages of `server`, its replies posted to `connector`. */
function conversationOn(server: E2eServer, connector: ConnectorStub) {
  const conversationId = `e2e-${randomBytes(6).toString('hex')}`;
  const user = { id: `user-${randomBytes(4).toString('hex')}`, name: 'User' };
  let sequence = 0;
  let locale: string | undefined;
  let country: string | undefined;
  let lastActions: ActionButton[] = [];

  async function post(activity: Activity): Promise<{ status: number; sent: Activity[] }> {
    sequence += 1;
    const body = {
      id: `in-${sequence}`,
      channelId: 'emulator',
      serviceUrl: connector.url,
      timestamp: new Date().toISOString(),
      conversation: { id: conversationId },
      from: user,
      recipient: { id: 'lantern-bot', name: 'Lantern' },
      ...(locale ? { locale } : {}),
      ...(country ? { channelData: { lantern: { country } } } : {}),
      ...activity,
    };
    const before = connector.received.length;
    const res = await fetch(`${server.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    await res.arrayBuffer();
    const sent = connector.received
      .slice(before)
      .filter((entry) => entry.path.startsWith(`/v3/conversations/${encodeURIComponent(String(body.conversation.id))}/`));
    return { status: res.status, sent: sent.map((entry) => entry.activity) };
  }

  async function turn(activity: Activity): Promise<Seen> {
    const { status, sent } = await post(activity);
    if (status !== 200) throw new Error(`/api/messages answered ${status}`);
    const seen = seenIn(sent);
    // A new message replaces the buttons on screen, as in every Bot Framework client.
    if (sent.some((activity) => activity.type === 'message')) lastActions = seen.actions;
    return { texts: seen.texts, buttons: seen.buttons };
  }

  return {
    conversationId,
    post,
    async act(action: UserAction): Promise<Seen> {
      if ('start' in action) {
        const hints = startHints(action.start);
        locale = hints.locale ?? locale;
        country = hints.country ?? country;
        // What Azure Bot Service, Teams and the Emulator send when the user opens the chat.
        return turn({ type: 'conversationUpdate', membersAdded: [{ id: 'lantern-bot' }, user] });
      }
      if ('type' in action) return turn({ type: 'message', text: action.type });
      const button = lastActions.find((candidate) => candidate.label === action.tap);
      if (!button) throw new Error(`no button "${action.tap}" on screen; offered: ${lastActions.map((b) => `"${b.label}"`).join(', ') || 'none'}`);
      // A client posts a messageBack's text and value; the value carries the choice id.
      return turn({ type: 'message', text: button.text, value: button.value });
    },
  };
}
