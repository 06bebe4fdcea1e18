import { describe, expect, it } from 'vitest';
import type { Update } from 'telegraf/types';
import { mapUpdate } from '../../../src/channels/telegram/map-update.js';

// Shapes as the Bot API delivers them (trimmed of fields the mapping does not read).
const from = { id: 111222333, is_bot: false, first_name: 'Olena', language_code: 'uk' };
const privateChat = { id: 111222333, type: 'private', first_name: 'Olena' };

function message(fields: Record<string, unknown>, chat: object = privateChat): Update {
  return { update_id: 900001, message: { message_id: 17, date: 1_700_000_000, chat, from, ...fields } } as unknown as Update;
}

function command(text: string): Update {
  const length = text.split(' ')[0]!.length;
  return message({ text, entities: [{ offset: 0, length, type: 'bot_command' }] });
}

describe('mapUpdate: commands and deep links', () => {
  it.each([
    ['/start md_ro', 'md_ro'],
    ['/start _uk', '_uk'],
    ['/start ua', 'ua'],
    ['/start br_pt-BR', 'br_pt-BR'],
  ])('%s is a start with its payload', (text, payload) => {
    expect(mapUpdate(command(text))).toEqual({
      conversation: '111222333',
      channel: 'telegram',
      languageHint: 'uk',
      event: { type: 'start', payload },
    });
  });

  it('a bare /start has no payload', () => {
    expect(mapUpdate(command('/start'))?.event).toEqual({ type: 'start' });
  });

  it('a hand-typed payload that no deep link can carry is dropped, not passed on', () => {
    expect(mapUpdate(command('/start <b>x</b>'))?.event).toEqual({ type: 'start' });
    expect(mapUpdate(command(`/start ${'a'.repeat(65)}`))?.event).toEqual({ type: 'start' });
  });

  it('other commands lose the slash and the @botname, and keep their arguments', () => {
    expect(mapUpdate(command('/forget'))?.event).toEqual({ type: 'command', command: 'forget' });
    expect(mapUpdate(command('/Language@LanternHelpBot'))?.event).toEqual({ type: 'command', command: 'language' });
    expect(mapUpdate(command('/language ro'))?.event).toEqual({ type: 'command', command: 'language', args: 'ro' });
  });

  it('text that only starts with a slash is text', () => {
    expect(mapUpdate(message({ text: '/ salary 500 EUR' }))?.event).toEqual({ type: 'text', text: '/ salary 500 EUR' });
  });
});

describe('mapUpdate: messages', () => {
  it('typed text is text, unchanged', () => {
    const text = 'They want my passport "for safekeeping" & 300 €';
    expect(mapUpdate(message({ text }))).toEqual({
      conversation: '111222333',
      channel: 'telegram',
      languageHint: 'uk',
      event: { type: 'text', text },
    });
  });

  it('leaves languageHint out when Telegram does not send language_code', () => {
    const update = {
      update_id: 1,
      message: { message_id: 1, date: 1, chat: privateChat, from: { id: 5, is_bot: false, first_name: 'A' }, text: 'hi' },
    } as unknown as Update;
    expect(mapUpdate(update)).not.toHaveProperty('languageHint');
  });

  const photo = [{ file_id: 'AgAD', file_unique_id: 'AQAD', width: 90, height: 67, file_size: 1234 }];
  const document = { file_id: 'BQAC', file_unique_id: 'AgAD', file_name: 'offer.pdf', mime_type: 'application/pdf' };
  it.each([
    ['photo', { photo, caption: 'the offer' }],
    [
      'sticker',
      { sticker: { file_id: 'CAAC', file_unique_id: 'AgAD', type: 'regular', width: 512, height: 512, is_animated: false, is_video: false, emoji: '👍' } },
    ],
    ['voice', { voice: { file_id: 'AwAC', file_unique_id: 'AgAD', duration: 3, mime_type: 'audio/ogg' } }],
    ['video', { video: { file_id: 'BAAC', file_unique_id: 'AgAD', width: 640, height: 480, duration: 5 } }],
    ['document', { document }],
    ['location', { location: { latitude: 47.0105, longitude: 28.8638 } }],
    [
      'location',
      {
        location: { latitude: 47.0105, longitude: 28.8638 },
        venue: { location: { latitude: 47.0105, longitude: 28.8638 }, title: 'Office', address: 'Str. 1' },
      },
    ],
    ['contact', { contact: { phone_number: '+37300000000', first_name: 'Recruiter' } }],
    ['animation', { animation: { file_id: 'CgAC', file_unique_id: 'AgAD', width: 320, height: 240, duration: 2 }, document }],
    ['video_note', { video_note: { file_id: 'DQAC', file_unique_id: 'AgAD', length: 240, duration: 4 } }],
    ['audio', { audio: { file_id: 'CQAC', file_unique_id: 'AgAD', duration: 120 } }],
    [
      'poll',
      {
        poll: {
          id: '5',
          question: 'Q?',
          options: [],
          total_voter_count: 0,
          is_closed: false,
          is_anonymous: true,
          type: 'regular',
          allows_multiple_answers: false,
        },
      },
    ],
  ])('%s is unsupported with that kind', (kind, fields) => {
    expect(mapUpdate(message(fields))?.event).toEqual({ type: 'unsupported', kind });
  });

  it('an edited message is unsupported (edited)', () => {
    const update = { update_id: 2, edited_message: { message_id: 17, date: 1, edit_date: 2, chat: privateChat, from, text: 'changed' } } as unknown as Update;
    expect(mapUpdate(update)).toEqual({ conversation: '111222333', channel: 'telegram', languageHint: 'uk', event: { type: 'unsupported', kind: 'edited' } });
  });

  it.each([
    ['group', { id: -4001, type: 'group', title: 'Jobs' }],
    ['supergroup', { id: -1001234567890, type: 'supergroup', title: 'Jobs abroad' }],
  ])('a message in a %s is unsupported (group), even a command', (_type, chat) => {
    expect(mapUpdate(message({ text: '/start md_ro' }, chat))).toEqual({
      conversation: String(chat.id),
      channel: 'telegram',
      languageHint: 'uk',
      event: { type: 'unsupported', kind: 'group' },
    });
  });

  it('a channel post is unsupported (group)', () => {
    const update = {
      update_id: 3,
      channel_post: { message_id: 4, date: 1, chat: { id: -1009876, type: 'channel', title: 'News' }, text: 'hello' },
    } as unknown as Update;
    expect(mapUpdate(update)?.event).toEqual({ type: 'unsupported', kind: 'group' });
  });

  it('service messages and updates that are not a user talking are ignored', () => {
    expect(mapUpdate(message({ pinned_message: { message_id: 3, date: 1, chat: privateChat } }))).toBeUndefined();
    const member = { update_id: 4, my_chat_member: { chat: privateChat, from, date: 1, old_chat_member: {}, new_chat_member: {} } } as unknown as Update;
    expect(mapUpdate(member)).toBeUndefined();
  });
});

describe('mapUpdate: button presses', () => {
  const callback = (data: unknown, chat: object = privateChat): Update =>
    ({
      update_id: 5,
      callback_query: {
        id: '4382bfdwdsb323b2d9',
        from: { ...from, language_code: 'ro' },
        chat_instance: '-5728',
        data,
        message: { message_id: 20, date: 1, chat, from: { id: 42, is_bot: true, first_name: 'Lantern' }, text: 'Q?' },
      },
    }) as unknown as Update;

  it('is a choice with callback_data as the id, and the presser language', () => {
    expect(mapUpdate(callback('screen:q3:yes'))).toEqual({
      conversation: '111222333',
      channel: 'telegram',
      languageHint: 'ro',
      event: { type: 'choice', id: 'screen:q3:yes' },
    });
  });

  it('keeps a forged id verbatim: the core judges it', () => {
    expect(mapUpdate(callback('../../admin'))?.event).toEqual({ type: 'choice', id: '../../admin' });
  });

  it('a press in a group is unsupported (group)', () => {
    expect(mapUpdate(callback('x', { id: -4001, type: 'group', title: 'Jobs' }))?.event).toEqual({ type: 'unsupported', kind: 'group' });
  });

  it('a press on an inline-mode message (no chat) is ignored', () => {
    const update = { update_id: 6, callback_query: { id: '1', from, chat_instance: '1', inline_message_id: 'AAA', data: 'x' } } as unknown as Update;
    expect(mapUpdate(update)).toBeUndefined();
  });
});

describe('mapUpdate: malformed updates (found by fuzzing)', () => {
  const raw = (update: object) => update as unknown as Update;

  it.each([['abc'], [1.5], [0], [null], [{}], [2 ** 60]])('ignores a chat whose id is %j', (id) => {
    expect(mapUpdate(message({ text: 'hello' }, { id, type: 'private' }))).toBeUndefined();
    expect(
      mapUpdate(raw({ update_id: 1, callback_query: { id: '1', from, data: 'x', message: { message_id: 1, chat: { id, type: 'private' } } } })),
    ).toBeUndefined();
  });

  it('ignores updates whose parts are not objects', () => {
    for (const part of ['message', 'edited_message', 'channel_post', 'callback_query']) {
      for (const value of [null, 5, 'x', []]) expect(mapUpdate(raw({ update_id: 1, [part]: value }))).toBeUndefined();
    }
    expect(mapUpdate(raw({ update_id: 1, message: { message_id: 1, chat: 'x', text: 'hi' } }))).toBeUndefined();
  });

  it('maps a press without `from` or with a non-string language, without a language hint', () => {
    expect(mapUpdate(raw({ update_id: 1, callback_query: { id: '1', data: 'x', message: { message_id: 1, chat: privateChat } } }))).toEqual({
      conversation: '111222333',
      channel: 'telegram',
      event: { type: 'choice', id: 'x' },
    });
    expect(mapUpdate(message({ text: 'hi', from: { id: 1, language_code: 7 } }))?.languageHint).toBeUndefined();
  });
});
