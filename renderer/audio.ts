/**
 * Spoken prompts (适老化): short sounds from assets/audio, with volume and on/off from the view
 * (config `ui.audio`). The placeholders are generated tones; real recordings replace the files
 * (assets/audio/README.md). The same `ack` plays for every level (domain-rules §5).
 *
 * Each play is marked `audio:<name>` (one entry kept per name) so tests can see which prompt played even
 * where the browser's autoplay policy keeps it silent.
 */
import ackUrl from '../assets/audio/ack.wav';
import inviteUrl from '../assets/audio/invite.wav';
import type { PromptName } from './view-model.js';

const URLS: Record<PromptName, string> = { invite: inviteUrl, ack: ackUrl };

export class PromptPlayer {
  private readonly elements = new Map<PromptName, HTMLAudioElement>();

  play(name: PromptName, volume: number): void {
    performance.clearMarks(`audio:${name}`);
    performance.mark(`audio:${name}`, { detail: { volume } });
    for (const [other, element] of this.elements) if (other !== name) element.pause();
    let element = this.elements.get(name);
    if (element === undefined) {
      element = new Audio(URLS[name]);
      element.preload = 'auto';
      this.elements.set(name, element);
    }
    element.volume = volume;
    element.currentTime = 0;
    // A kiosk browser without an autoplay exemption refuses until the first touch; the screen still shows.
    void element.play().catch(() => undefined);
  }
}
