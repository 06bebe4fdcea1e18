import { describe, expect, it } from 'vitest';
import { renderReply } from '../../../src/channels/botframework/render-reply.js';
import type { Reply } from '../../../src/engine/types.js';

// The ad check quotes what the user pasted; a trafficker's ad may hold an image, a link or HTML.
const quote = '⚠ «<img src=http://127.0.0.1:9/x> ![](http://127.0.0.1:9/y) [call](tel:+15550199)»';
const reply: Reply = {
  language: 'en',
  direction: 'ltr',
  messages: [
    { type: 'text', text: quote },
    { type: 'contact', label: 'Hotline', number: '+373 0 800 77777', dial: '+37380077777' },
  ],
};

describe('a quote of user text in Bot Framework replies', () => {
  it('per message (our Direct Line): every message says textFormat plain', () => {
    const activities = renderReply(reply, 'webchat', 'per-message');
    expect(activities.map((a) => a.textFormat)).toEqual(['plain', 'plain']);
    expect(activities[0]!.text).toBe(quote);
  });

  it('combined (Markdown, /api/messages): the quote cannot open a link, an image or a tag; our tel: link stays', () => {
    const [activity] = renderReply(reply, 'webchat', 'combined');
    expect(activity!.textFormat).toBe('markdown');
    const text = activity!.text!;
    // Every [ ] < of the quote is escaped; only the hotline's own link is Markdown.
    expect(text).toContain('⚠ «\\<img src=http://127.0.0.1:9/x> !\\[\\](http://127.0.0.1:9/y) \\[call\\](tel:+15550199)»');
    expect(text.match(/(?<!\\)\[/g)).toHaveLength(1);
    expect(text).toContain('Hotline: [+373 0 800 77777](tel:+37380077777)');
  });
});
