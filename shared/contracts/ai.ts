// AI resolution through a local Ollama server: health, settings, batch resolution, review of drafts,
// live drafting, knowledge gaps, per-ticket attribution, and the knowledge base it is grounded in.
import type { OrganizationSettingsView } from './organization.ts';
import { z } from 'zod';
import { signatureInputSchema } from './people.ts';
import { ESCALATION_REASONS, type EscalationReason } from '../domain.ts';

export interface AiHealth {
  host: string;
  reachable: boolean;
  version: string | null;
  models: { name: string; digest: string; size: number; parameterSize: string | null; quantization: string | null }[];
  model: string;
  modelPresent: boolean;
  digest: string | null;
  message: string | null;
}

export interface AiSettingsView {
  /** The host recorded in the settings (null: OLLAMA_HOST or the default). */
  host: string | null;
  effectiveHost: string;
  model: string;
  confidenceThreshold: number;
  parallel: number;
  redaction: { card: boolean; iban: boolean; email: boolean; phone: boolean; national_id: boolean };
  /** Whether the effective host is this computer (loopback); false: ticket text leaves the machine. */
  hostIsLocal: boolean;
  /** Why the AI will contact no model server (a refused or not-allowed host), or null. */
  hostProblem: string | null;
  /** The latest admin allowance of a model server on another machine (host null: withdrawn), or null. */
  remoteHost: { host: string | null; reason: string; by: string; at: string } | null;
  /** The organization's name, the AI's signature and disclosure (one read shows all the settings the AI uses). */
  organization?: OrganizationSettingsView;
}

/** The AI queue paused by its circuit breaker: Ollama kept failing; it is probed and the queue resumes by itself. */
export interface AiPause {
  /** ISO time the queue paused. */
  since: string;
  /** What happened, in precise words ("Ollama answered 503: …", "connection refused at …"). */
  reason: string;
}

export interface AiProgress {
  running: boolean;
  total: number;
  done: number;
  sent: number;
  awaitingReview: number;
  handedOff: number;
  skipped: number;
  unavailable: number;
  message: string | null;
  /** Set while the queue is paused because Ollama is down (a view state, never a ledger event). */
  paused?: AiPause | null;
}

export interface AiStatus {
  progress: AiProgress;
  eligible: number;
  eligibleByCategory: { category: string; mode: string; tickets: number }[];
}

export interface AiRunView {
  runId: string;
  ticketId: string;
  subject: string;
  category: string;
  topic: string;
  model: string;
  action: string;
  reason: string | null;
  confidence: number;
  note: string;
  draft: string;
  customerText: string;
  citations: { id: string; version: number; title: string }[];
  decidedAt: string;
  decisionSeq: number;
}

export interface AiGapGroup {
  topic: string;
  count: number;
  reasons: Record<string, number>;
  runs: { runId: string; ticketId: string; category: string; kind: 'rejected' | 'edited' | 'missing_knowledge'; reason: string | null; at: string; seq: number }[];
}

export interface AiAttributionStep {
  seq: number;
  type: string;
  at: string;
  runId: string | null;
  model: { name: string; digest: string } | null;
  prompt: { template_id: string; template_hash: string; prompt_hash: string } | null;
  options: Record<string, number> | null;
  metrics: Record<string, number> | null;
  articles: { id: string; version: number; title: string; score?: number }[];
  summary: string;
  actor: string;
}

export interface KbArticleRow {
  id: string;
  version: number;
  title: string;
  tags: string[];
  category: string | null;
  source: string;
  updatedAt: string;
  seq: number;
}

export interface KbArticleText {
  id: string;
  version: number;
  title: string;
  body: string;
}

/** One recorded version of an article: which `kb.article` event made it, when, by whom and why. */
export interface KbVersionRow {
  version: number;
  action: 'import' | 'edit';
  at: string;
  actor: string;
  seq: number;
  /** Why it was made; null on versions recorded before a reason was required ("(no reason recorded)"). */
  reason: string | null;
  title: string;
  /** How many AI runs cited this version in their reply (see kb.citations). */
  cited: number;
}

/** A part of one side of a diff line; `changed` marks what differs from the other side. */
export interface KbDiffSegment {
  text: string;
  changed: boolean;
}

export interface KbDiffRow {
  kind: 'same' | 'changed' | 'removed' | 'added';
  leftLine: number | null;
  rightLine: number | null;
  left: KbDiffSegment[] | null;
  right: KbDiffSegment[] | null;
}

/** Two versions of an article side by side: the older on the left, each with who, when and why. */
export interface KbDiff {
  id: string;
  from: KbVersionRow;
  to: KbVersionRow;
  rows: KbDiffRow[];
  removed: number;
  added: number;
  changed: number;
}

/** An AI run whose reply cited a version of an article. */
export interface KbCitingRun {
  runId: string;
  ticketId: string;
  version: number;
  /** send_solve, send_pending, await_review or hand_off. */
  action: string;
  reason: string | null;
  /** approve, edit, reject or superseded once reviewed; null otherwise. */
  review: string | null;
  decidedAt: string;
  decisionSeq: number;
}

export interface KbCitations {
  id: string;
  version: number;
  /** All runs that cited the version; `runs` is the page from `offset`. */
  total: number;
  offset: number;
  runs: KbCitingRun[];
}

export interface KbArticleDetail extends KbArticleRow {
  body: string;
  versions: KbVersionRow[];
}

const runId = z.string().min(1).max(400);
/** A model server's address: http(s) only (ticket text is sent there; never file:, data: or other schemes). */
const ollamaHost = z
  .string()
  .trim()
  .max(500)
  .url()
  .refine((value) => /^https?:\/\//i.test(value), { message: 'must be an http:// or https:// address' });

export const aiInputs = {
  'ai.health': z.object({}).strict().default({}),
  'ai.settings': z.object({}).strict().default({}),
  'ai.configure': z
    .object({
      host: ollamaHost.nullable().default(null),
      model: z.string().trim().min(1).max(200),
      confidenceThreshold: z.number().min(0).max(1),
      parallel: z.number().int().min(1).max(64),
      // national_id may be left out by older clients: it then stays on (masked).
      redaction: z.object({ card: z.boolean(), iban: z.boolean(), email: z.boolean(), phone: z.boolean(), national_id: z.boolean().default(true) }).strict(),
      reason: z.string().trim().min(1, 'say why the settings change').max(2000),
    })
    .strict(),
  /** An admin allows (or, with host null, withdraws) sending ticket text to a model server on another machine. */
  'ai.allowRemoteHost': z
    .object({
      host: ollamaHost.nullable(),
      reason: z.string().trim().min(1, 'say why ticket text may leave this computer').max(2000),
    })
    .strict(),
  'ai.status': z.object({}).strict().default({}),
  'ai.resolve': z.object({ limit: z.number().int().min(1).max(100000).optional(), category: z.string().min(1).max(200).optional() }).strict().default({}),
  'ai.cancel': z.object({}).strict().default({}),
  'ai.reviewQueue': z.object({ limit: z.number().int().min(1).max(500).default(100), includeHandOffs: z.boolean().default(false) }).strict().default({ limit: 100, includeHandOffs: false }),
  'ai.review': z
    .object({
      runId,
      action: z.enum(['approve', 'edit', 'reject']),
      body: z.string().max(20000).optional(),
      reason: z.string().max(2000).optional(),
      status: z.enum(['solved', 'pending']).optional(),
      /** Required to approve a draft when the ticket's outcome contract asks for signed approvals (accounts mode). */
      signature: signatureInputSchema.optional(),
    })
    .strict(),
  'ai.draftLive': z.object({ ticketId: z.string().min(1).max(200) }).strict(),
  'ai.gaps': z.object({}).strict().default({}),
  'ai.attribution': z.object({ ticketId: z.string().min(1).max(200) }).strict(),
  'kb.list': z.object({}).strict().default({}),
  'kb.search': z.object({ query: z.string().max(2000), limit: z.number().int().min(1).max(20).default(5) }).strict(),
  'kb.article': z.object({ id: z.string().min(1).max(120), version: z.number().int().min(1).optional() }).strict(),
  'kb.get': z.object({ id: z.string().min(1).max(120) }).strict(),
  'kb.edit': z
    .object({
      id: z.string().min(1).max(120),
      title: z.string().trim().min(1, 'an article needs a title').max(500),
      body: z.string().trim().min(1, 'an article needs a body').max(200_000),
      tags: z.array(z.string().trim().min(1, 'a tag cannot be empty').max(100)).max(50),
      reason: z.string().trim().min(1, 'say why the article changes').max(2000),
    })
    .strict(),
  'kb.diff': z.object({ id: z.string().min(1).max(120), from: z.number().int().min(1), to: z.number().int().min(1) }).strict(),
  'kb.citations': z
    .object({
      id: z.string().min(1).max(120),
      version: z.number().int().min(1),
      limit: z.number().int().min(1).max(500).default(100),
      offset: z.number().int().min(0).default(0),
    })
    .strict(),
} as const;

export const HAND_OFF_REASONS: readonly EscalationReason[] = ESCALATION_REASONS;

export interface AiOutputs {
  'ai.health': AiHealth;
  'ai.settings': AiSettingsView;
  'ai.configure': AiSettingsView;
  'ai.allowRemoteHost': AiSettingsView;
  'ai.status': AiStatus;
  'ai.resolve': AiProgress;
  'ai.cancel': AiProgress;
  'ai.reviewQueue': AiRunView[];
  'ai.review': { runId: string; action: string; seq: number };
  /** `superseded`: earlier drafts of the ticket that the new one replaced in review. */
  'ai.draftLive': { runId: string | null; action: string; reason: string | null; message: string | null; superseded?: string[] };
  'ai.gaps': AiGapGroup[];
  'ai.attribution': AiAttributionStep[];
  'kb.list': KbArticleRow[];
  'kb.search': { query: string; hits: { id: string; version: number; title: string; score: number }[] };
  'kb.article': KbArticleText;
  'kb.get': KbArticleDetail;
  'kb.edit': KbArticleDetail;
  'kb.diff': KbDiff;
  'kb.citations': KbCitations;
}

/** Pushed while the console drafts a reply live, and while a resolution batch runs. */
export interface AiCoreEvents {
  'ai.draftChunk': { ticketId: string; text: string; done: boolean };
  'ai.progress': AiProgress;
}
