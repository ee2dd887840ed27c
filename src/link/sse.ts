/**
 * `GET /v1/events` (window-link.md): server-sent events `session.opened` and `session.closed`. Only
 * whitelisted fields are written, so no level can reach the clerk side even if the core's event object
 * carries more (domain-rules §5: "no cue of which level was chosen").
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { COMMON_HEADERS } from './http.js';
import type { LinkBackend, LinkEvent } from './types.js';
import { SERVICE_STATES } from './types.js';

/** A client that reads slower than this much buffered output is dropped rather than buffered without end. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

/** The wire form of an event, or null when the event is not one the contract allows. */
export function serialiseEvent(event: LinkEvent): string | null {
  const e = event as unknown as Record<string, unknown>;
  if (typeof e.ticketNo !== 'string' || typeof e.sessionId !== 'string') return null;
  let data: Record<string, string>;
  if (e.type === 'session.opened') {
    data = { ticketNo: e.ticketNo, sessionId: e.sessionId };
  } else if (e.type === 'session.closed' && SERVICE_STATES.includes(e.state as never)) {
    data = { ticketNo: e.ticketNo, sessionId: e.sessionId, state: e.state as string };
  } else {
    return null;
  }
  return `event: ${e.type}\ndata: ${JSON.stringify(data)}\n\n`;
}

export interface EventStreams {
  open(req: IncomingMessage, res: ServerResponse): void;
  /** Ends every open stream (server shutdown). */
  closeAll(): void;
  count(): number;
}

export function createEventStreams(
  backend: LinkBackend,
  keepAliveMs: number,
  onDropped: (reason: 'invalid-event' | 'slow-client') => void,
): EventStreams {
  const streams = new Set<() => void>();

  return {
    open(req, res) {
      let ended = false;
      let ready = false;
      const early: string[] = [];
      const write = (chunk: string): void => {
        if (ended) return;
        if (!ready) {
          early.push(chunk);
          return;
        }
        if (res.writableLength > MAX_BUFFERED_BYTES) {
          onDropped('slow-client');
          end();
          return;
        }
        res.write(chunk);
      };
      // Subscribe before the head is written, so a failing core still gets a plain 500 answer.
      const unsubscribe = backend.subscribe((event) => {
        const wire = serialiseEvent(event);
        if (wire === null) onDropped('invalid-event');
        else write(wire);
      });
      // Keep-alive comment every 15 s (window-link.md): keeps idle timeouts on the way from closing the stream.
      const timer = setInterval(() => write(': keep-alive\n\n'), keepAliveMs);
      timer.unref();
      const end = (): void => {
        if (ended) return;
        ended = true;
        streams.delete(end);
        clearInterval(timer);
        unsubscribe();
        if (!res.writableEnded) res.end(() => req.socket.destroy());
      };

      res.writeHead(200, {
        ...COMMON_HEADERS,
        'content-type': 'text/event-stream; charset=utf-8',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write(': window-link events\n\n');
      ready = true;
      for (const chunk of early.splice(0)) write(chunk);
      streams.add(end);
      req.on('close', end);
      res.on('error', end);
    },

    closeAll() {
      for (const end of [...streams]) end();
    },

    count() {
      return streams.size;
    },
  };
}
