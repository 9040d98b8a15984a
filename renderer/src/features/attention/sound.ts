import type { Sound } from '../../../../protocol/ipc';

interface Tone {
  frequency: number;
  /** Seconds after the sound starts. */
  at: number;
  duration: number;
  volume: number;
  wave: OscillatorType;
}

/** Small synthesized sounds: no audio files to ship, load or allow in the CSP. */
const sounds: Record<Exclude<Sound, 'none'>, Tone[]> = {
  // Two rising notes, friendly: a new chat.
  chime: [
    { frequency: 880, at: 0, duration: 0.35, volume: 0.2, wave: 'sine' },
    { frequency: 1318.5, at: 0.13, duration: 0.55, volume: 0.18, wave: 'sine' },
  ],
  // One note with an overtone and a long tail.
  bell: [
    { frequency: 659.3, at: 0, duration: 1.2, volume: 0.22, wave: 'sine' },
    { frequency: 1318.5, at: 0, duration: 0.7, volume: 0.08, wave: 'sine' },
    { frequency: 1977.8, at: 0, duration: 0.4, volume: 0.04, wave: 'sine' },
  ],
  // Short and discreet: a message.
  tick: [{ frequency: 1600, at: 0, duration: 0.06, volume: 0.12, wave: 'triangle' }],
};

let context: AudioContext | undefined;

export function playSound(sound: Sound): void {
  if (sound === 'none') return;
  // Test DOMs and locked-down hosts have no Web Audio: then Parley stays silent rather than failing.
  if (typeof window.AudioContext !== 'function') return;
  context ??= new window.AudioContext();
  const audio = context;
  if (audio.state === 'suspended') void audio.resume().catch(() => undefined);
  const start = audio.currentTime;
  for (const tone of sounds[sound]) {
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.type = tone.wave;
    oscillator.frequency.value = tone.frequency;
    const begin = start + tone.at;
    const end = begin + tone.duration;
    // Exponential ramps cannot reach 0; a quick attack and a decay to near-silence avoid clicks.
    gain.gain.setValueAtTime(0.0001, begin);
    gain.gain.exponentialRampToValueAtTime(tone.volume, begin + 0.01);
    gain.gain.exponentialRampToValueAtTime(0.0001, end);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start(begin);
    oscillator.stop(end + 0.05);
  }
}
