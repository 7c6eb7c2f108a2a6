// What the bot says about the chat itself rather than about a request: privacy hand-offs between a group and a
// direct chat, stale buttons and forms. The platform adapters render these like any Reply and never word them.
import { errorReply, notice, reply, type Reply } from '../../agents/reply.js';

/** In a group, for an answer that is private: the person continues in a direct chat through `url`. */
export function continueInPrivateReply(url: string): Reply {
  return {
    ...reply(
      'public',
      notice('info', 'The answer is private, so I will give it to you in a direct message.'),
    ),
    buttons: [{ type: 'link', label: 'Continue in private', url }],
  };
}

/** In a group, for a direct message the platform would not deliver: the person opens it through `url`. */
export function privateMessageWaitingReply(url: string): Reply {
  return {
    ...reply(
      'public',
      notice('info', 'I have a private message for someone here; it opens in a direct chat.'),
    ),
    buttons: [{ type: 'link', label: 'Read it privately', url }],
  };
}

/** In a group, after a private answer was (or could not be) sent by direct message. */
export function answeredInPrivateReply(sent: boolean): Reply {
  return reply(
    'public',
    notice(
      'info',
      sent
        ? 'I sent you the answer in a direct message.'
        : 'That answer is private and I cannot DM you. Use /ask here (only you will see it), or allow DMs from server members.',
    ),
  );
}

/** A short text where the platform shows one (Telegram's button alert), not a Reply. */
export const STALE_BUTTON_TEXT = 'This button has expired or is not yours.';

export const expiredDeepLinkReply = () => errorReply('That link has expired. Please ask again here.');
export const invalidButtonReply = () => errorReply('This button is no longer valid.');
export const invalidFormReply = () => errorReply('This form is no longer valid.');
export const interactionFailedReply = () => errorReply('Something went wrong on my side. Please try again.');

/** A file the person sent could not be fetched from the platform. */
export function downloadFailedReply(): Reply {
  return reply('private', notice('error', 'I could not download that file; please send it again.'));
}

export { storeUnavailableReply } from '../../agents/reply.js';
