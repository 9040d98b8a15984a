import type { VisitorMessage } from '../../../protocol/visitor-socket';

/** YYYY-MM-DD in the visitor's time zone. */
export function localDate(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export function localTime(date: Date): string {
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

export interface Transcript {
  filename: string;
  text: string;
}

/**
 * The chat as plain text, built in the browser from what the widget shows: the server keeps no
 * extra copy for it. Continuation lines are indented so each message stays recognisable.
 */
export function buildTranscript(
  title: string,
  you: string,
  messages: VisitorMessage[],
  now: Date,
): Transcript {
  const first = messages[0];
  const day = localDate(first ? new Date(first.createdAt) : now);
  const lines = messages.map((message) => {
    const name = message.author === 'visitor' ? you : message.name;
    const text = message.text.replace(/\r?\n/g, '\n    ');
    return `[${localDate(new Date(message.createdAt))} ${localTime(new Date(message.createdAt))}] ${name}: ${text}`;
  });
  return { filename: `chat-transcript-${day}.txt`, text: `${title}\n\n${lines.join('\n')}\n` };
}

/** Offers text as a file download, without a round trip to the server. */
export function download({ filename, text }: Transcript): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
