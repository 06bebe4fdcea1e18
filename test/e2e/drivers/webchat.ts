import { randomBytes } from 'node:crypto';
import { seenIn, startHints } from './botframework.js';
import type { Activity } from './botframework.js';
import type { ChannelDriver, Seen, UserAction } from './driver.js';
import { startE2eServer } from './start-server.js';
import type { E2eServer } from './start-server.js';

const REQUEST_TIMEOUT_MS = 10_000;
/** How long to wait for a greeting that the server starts on its own, polling every POLL_MS. */
const START_TIMEOUT_MS = 10_000;
const POLL_MS = 25;
/** An event the bot ignores: posting it waits for every earlier turn of the conversation. */
const SYNC_EVENT = 'lantern.e2e/sync';

/** A web chat conversation driver, with the pieces a test may want to look at. */
export interface WebChatDriver extends ChannelDriver {
  server: E2eServer;
  /** The Direct Line conversation id (set by the first `start`). */
  readonly conversationId: string | undefined;
  /** Another visitor's conversation on the same server; closing the driver closes it. */
  openConversation(): ChannelDriver;
}

/**
 * One conversation through the self-hosted Direct Line of a real Lantern server, spoken the way
 * the official Web Chat speaks it (plain HTTP, polling by watermark instead of the socket).
 * Posting an activity answers after its turn, and turns of one conversation run in order, so
 * after a post everything the bot said is already there to fetch.
 */
export async function createWebChatDriver(options: { env?: Record<string, string> } = {}): Promise<WebChatDriver> {
  const server = await startE2eServer({ env: options.env ?? {} });
  const first = visitor(server);
  return {
    name: 'webchat',
    server,
    get conversationId() {
      return first.conversationId();
    },
    act: first.act,
    openConversation() {
      return { name: 'webchat', act: visitor(server).act, close: async () => undefined };
    },
    async close() {
      await server.close();
    },
  };
}

/** One visitor's conversation through the Direct Line of `server`. */
function visitor(server: E2eServer) {
  const directLine = `${server.url}/v3/directline`;
  const user = { id: `dl_${randomBytes(6).toString('hex')}`, role: 'user' };
  let conversationId: string | undefined;
  let token: string | undefined;
  let locale: string | undefined;
  let watermark = '0';
  let clientSequence = 0;
  let lastActions: ReturnType<typeof seenIn>['actions'] = [];

  async function call(path: string, init: { method: string; body?: unknown; auth?: boolean }): Promise<any> {
    const res = await fetch(`${directLine}${path}`, {
      method: init.method,
      headers: { 'content-type': 'application/json', ...(init.auth && token ? { authorization: `Bearer ${token}` } : {}) },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`Direct Line ${init.method} ${path.replace(/conversations\/[^/]+/, 'conversations/…')} answered ${res.status}`);
    return text ? JSON.parse(text) : undefined;
  }

  async function fetchBotActivities(): Promise<Activity[]> {
    const answer = (await call(`/conversations/${conversationId}/activities?watermark=${watermark}`, { method: 'GET', auth: true })) as {
      activities: Activity[];
      watermark: string;
    };
    watermark = answer.watermark;
    return answer.activities.filter((activity) => activity.from?.role === 'bot');
  }

  async function postActivity(activity: Activity): Promise<void> {
    clientSequence += 1;
    await call(`/conversations/${conversationId}/activities`, {
      method: 'POST',
      auth: true,
      body: {
        from: user,
        ...(locale ? { locale } : {}),
        ...activity,
        channelData: { clientActivityID: `e2e-${clientSequence}`, ...(activity.channelData as object | undefined) },
      },
    });
  }

  function show(activities: Activity[]): Seen {
    const seen = seenIn(activities);
    if (activities.some((activity) => activity.type === 'message')) lastActions = seen.actions;
    return { texts: seen.texts, buttons: seen.buttons };
  }

  async function start(payload: string | null): Promise<Seen> {
    const hints = startHints(payload);
    locale = hints.locale;
    // What the widget does: a token for a new conversation (with the embed's locale and country), then start it.
    const generated = (await call('/tokens/generate', {
      method: 'POST',
      body: { ...(hints.locale ? { locale: hints.locale } : {}), ...(hints.country ? { country: hints.country } : {}) },
    })) as {
      conversationId: string;
      token: string;
    };
    conversationId = generated.conversationId;
    token = generated.token;
    watermark = '0';
    await call('/conversations', { method: 'POST', auth: true, body: locale ? { locale } : {} });
    // The greeting runs in the background of that request; the sync event queues behind it.
    await postActivity({ type: 'event', name: SYNC_EVENT });
    const deadline = Date.now() + START_TIMEOUT_MS;
    let activities = await fetchBotActivities();
    while (!activities.some((activity) => activity.type === 'message') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      activities = activities.concat(await fetchBotActivities());
    }
    return show(activities);
  }

  async function turn(activity: Activity): Promise<Seen> {
    if (!conversationId) throw new Error('start the conversation first: act({ start: null })');
    await postActivity(activity);
    return show(await fetchBotActivities());
  }

  return {
    conversationId: () => conversationId,
    async act(action: UserAction): Promise<Seen> {
      if ('start' in action) return start(action.start);
      if ('type' in action) return turn({ type: 'message', text: action.type });
      const button = lastActions.find((candidate) => candidate.label === action.tap);
      if (!button) throw new Error(`no button "${action.tap}" on screen; offered: ${lastActions.map((b) => `"${b.label}"`).join(', ') || 'none'}`);
      // Web Chat posts a messageBack as its text and value, and shows only the label.
      return turn({ type: 'message', text: button.text, value: button.value, channelData: { messageBack: { displayText: button.label } } });
    },
  };
}
