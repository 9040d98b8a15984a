import { z } from 'zod';
import { cidrSchema } from './cidr';

/** A server the desktop client may connect to. Never holds a password: only where, and how to trust it. */
export const serverProfileSchema = z.strictObject({
  id: z.string().min(1).max(64),
  name: z.string().trim().min(1).max(80),
  /** The server's base URL: https://… ; http:// only for loopback hosts (127.0.0.0/8, ::1, localhost). */
  url: z.string().max(300),
  /** Optional certificate pin: base64 SHA-256 of the server's SubjectPublicKeyInfo (44 chars). */
  pin: z
    .string()
    .regex(/^[A-Za-z0-9+/]{43}=$/)
    .optional(),
});
export type ServerProfile = z.infer<typeof serverProfileSchema>;

/** The admin-deployable policy file. Every field optional; an absent file means no restriction beyond https. */
export const desktopPolicySchema = z.strictObject({
  /** Servers that may be added: exact origins ('https://chat.example.eu', 'https://chat.example.eu:8443') or host wildcards ('https://*.example.eu'). */
  allowedServers: z.array(z.string().max(300)).max(200).optional(),
  /** The server's resolved addresses must all fall into these ranges. */
  allowedNetworks: z.array(cidrSchema).max(200).optional(),
  /** Profiles must carry a certificate pin (loopback servers excepted). */
  requirePin: z.boolean().optional(),
  /** Whether "Start a local workspace" is offered (default true). */
  allowLocalWorkspace: z.boolean().optional(),
});
export type DesktopPolicy = z.infer<typeof desktopPolicySchema>;
