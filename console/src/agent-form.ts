import type { AgentSpec, Provider, Tool } from './api/client';
import { formatOptions, jsonError, jsonObject, number, parseOptions, text, type Errors } from './forms';

/** The provider values of each stage (the Provider schema's description in docs/openapi.json). */
export const PROVIDERS = {
  asr: ['offline', 'deepgram', 'sphinx', 'vosk'],
  llm: ['offline', 'openai', 'scripted'],
  tts: ['offline', 'deepgram', 'flite', 'marytts'],
} as const;
export type Stage = keyof typeof PROVIDERS;
export const STAGES: Stage[] = ['asr', 'llm', 'tts'];

export type ToolType = Tool['type'];
export const TOOL_TYPES: ToolType[] = ['http', 'end_call', 'transfer_call', 'send_dtmf'];
export const TOOL_FIELDS = ['name', 'description', 'type', 'url', 'timeoutMs', 'parameters'] as const;
export type ToolField = (typeof TOOL_FIELDS)[number];
export type ToolRow = { key: number } & Record<Exclude<ToolField, 'type'>, string> & { type: ToolType };

/**
 * The form of an agent: every text, number, select and textarea by the JSON path of its field (`name`,
 * `asr.model`, `bargeIn.minSpeechMs`; a provider's options as key=value lines), barge-in's checkbox (null: not
 * set, the server's default, on), and the tools.
 */
export type AgentForm = { values: Record<string, string>; bargeIn: boolean | null; tools: ToolRow[] };

const TEXTS = ['name', 'greeting', 'systemPrompt', 'language', 'voice', 'script'];
/** Parts of the spec edited as JSON objects. */
const OBJECTS = ['recording', 'analysis', 'voicemail'] as const;

let toolKeys = 0;

export function newTool(): ToolRow {
  return { key: ++toolKeys, name: '', description: '', type: 'http', url: '', timeoutMs: '', parameters: '' };
}

/** The element id of a field's input: `agent-` and the path in kebab case (`tools[0].timeoutMs`: `agent-tool-0-timeout-ms`). */
export function fieldId(path: string): string {
  if (path === 'bargeIn.enabled') return 'agent-barge-in';
  return `agent-${path
    .replace(/^tools\[(\d+)\]/, 'tool-$1')
    .replace(/\./g, '-')
    .replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** The form's field a problem's `field` names (an option, a whole provider, a tool): null when the form has none. */
export function formField(path: string, form: AgentForm): string | null {
  const p = path
    .replace(/^(asr|llm|tts)\.options(\..*|\[.*)?$/, '$1.options')
    .replace(/^(asr|llm|tts)$/, '$1.provider')
    .replace(/^bargeIn$/, 'bargeIn.enabled')
    .replace(/^endpointing$/, 'endpointing.silenceMs')
    .replace(/^tools\[(\d+)\]$/, 'tools[$1].name')
    .replace(/^(recording|analysis|voicemail)\..*$/, '$1');
  if (p in form.values || p === 'bargeIn.enabled' || p === 'tools') return p;
  const tool = /^tools\[(\d+)\]\.(\w+)$/.exec(p);
  if (tool && Number(tool[1]) < form.tools.length && (TOOL_FIELDS as readonly string[]).includes(tool[2]!)) return p;
  return null;
}

export function emptyForm(): AgentForm {
  return toForm({ name: '' });
}

/** An agent's spec in the form (absent fields empty). */
export function toForm(spec: AgentSpec): AgentForm {
  const values: Record<string, string> = {};
  const put = (path: string, value: string | number | undefined | null) => {
    values[path] = value === undefined || value === null ? '' : String(value);
  };
  for (const path of TEXTS) put(path, spec[path as keyof AgentSpec] as string | undefined);
  for (const stage of STAGES) {
    const p: Provider | undefined = spec[stage];
    put(`${stage}.provider`, p?.provider);
    put(`${stage}.model`, p?.model);
    values[`${stage}.options`] = formatOptions(p?.options);
  }
  put('bargeIn.minSpeechMs', spec.bargeIn?.minSpeechMs);
  put('bargeIn.backchannelMs', spec.bargeIn?.backchannelMs);
  put('endpointing.silenceMs', spec.endpointing?.silenceMs);
  put('endpointing.pauseMs', spec.endpointing?.pauseMs);
  put('endpointing.vadThresholdDb', spec.endpointing?.vadThresholdDb);
  put('silencePromptMs', spec.silencePromptMs);
  put('silenceHangupMs', spec.silenceHangupMs);
  put('maxDurationSec', spec.maxDurationSec);
  for (const part of OBJECTS) {
    const value = spec[part];
    values[part] = value === undefined || value === null ? '' : JSON.stringify(value, null, 2);
  }
  const tools = (spec.tools ?? []).map((t) => ({
    ...newTool(),
    name: t.name ?? '',
    description: t.description ?? '',
    type: t.type,
    url: t.url ?? '',
    timeoutMs: t.timeoutMs === undefined || t.timeoutMs === null ? '' : String(t.timeoutMs),
    parameters: t.parameters ? JSON.stringify(t.parameters, null, 2) : '',
  }));
  return { values, bargeIn: spec.bargeIn?.enabled ?? null, tools };
}

/** An object without its undefined members; undefined when none is left (so the JSON leaves it out). */
function defined<T extends object>(o: T): T | undefined {
  const entries = Object.entries(o).filter(([, v]) => v !== undefined);
  return entries.length === 0 ? undefined : (Object.fromEntries(entries) as T);
}

/**
 * The spec the form describes, with only the fields that are set (numbers as numbers), and the problems found
 * before sending it: a number that is not one, options that are not key=value lines, JSON that does not parse.
 */
export function toSpec(form: AgentForm): { spec: AgentSpec; errors: Errors } {
  const v = form.values;
  const errors: Errors = {};
  const numeric = (path: string, value: string | undefined, whole: boolean) => {
    const n = number(value, whole);
    if (Number.isNaN(n)) errors[path] = whole ? 'must be a whole number' : 'must be a number';
    return n;
  };
  const int = (path: string) => numeric(path, v[path], true);
  const provider = (stage: Stage): Provider | undefined => {
    const name = text(v[`${stage}.provider`]);
    const model = text(v[`${stage}.model`]);
    const { options, error } = parseOptions(v[`${stage}.options`] ?? '');
    if (error) errors[`${stage}.options`] = error;
    if (name === undefined) {
      if (model !== undefined || options !== undefined) {
        errors[`${stage}.provider`] = 'pick a provider to give a model or options';
      }
      return undefined;
    }
    return defined({ provider: name, model, options }) as Provider;
  };
  const tools = form.tools.map((t, i): Tool => {
    const at = `tools[${i}]`;
    let parameters: Tool['parameters'];
    if (text(t.parameters) !== undefined) {
      const problem = jsonError(t.parameters);
      if (problem !== null) errors[`${at}.parameters`] = `not JSON: ${problem}`;
      else {
        const parsed: unknown = JSON.parse(t.parameters);
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
          errors[`${at}.parameters`] = 'must be a JSON object (a JSON Schema)';
        } else parameters = parsed as Tool['parameters'];
      }
    }
    return defined({
      name: t.name.trim(),
      description: t.description.trim(),
      type: t.type,
      url: text(t.url),
      timeoutMs: numeric(`${at}.timeoutMs`, t.timeoutMs, true),
      parameters,
    }) as Tool;
  });
  const script = v.script?.trim() ? v.script : undefined;
  if (script !== undefined) {
    const problem = jsonError(script);
    if (problem !== null) errors.script = `not JSON: ${problem}`;
  }
  const objects: Partial<Pick<AgentSpec, (typeof OBJECTS)[number]>> = {};
  for (const part of OBJECTS) {
    const typed = jsonObject(v[part]);
    if (typed.error !== undefined) errors[part] = typed.error;
    else if (typed.object !== undefined) objects[part] = typed.object as never;
  }
  const spec = defined({
    name: v.name?.trim() ?? '',
    greeting: text(v.greeting),
    systemPrompt: v.systemPrompt?.trim() ? v.systemPrompt : undefined,
    language: text(v.language),
    voice: text(v.voice),
    asr: provider('asr'),
    llm: provider('llm'),
    tts: provider('tts'),
    tools: tools.length === 0 ? undefined : tools,
    bargeIn: defined({
      enabled: form.bargeIn ?? undefined,
      minSpeechMs: int('bargeIn.minSpeechMs'),
      backchannelMs: int('bargeIn.backchannelMs'),
    }),
    endpointing: defined({
      silenceMs: int('endpointing.silenceMs'),
      pauseMs: int('endpointing.pauseMs'),
      vadThresholdDb: numeric('endpointing.vadThresholdDb', v['endpointing.vadThresholdDb'], false),
    }),
    silencePromptMs: int('silencePromptMs'),
    silenceHangupMs: int('silenceHangupMs'),
    maxDurationSec: int('maxDurationSec'),
    script,
    recording: objects.recording,
    analysis: objects.analysis,
    voicemail: objects.voicemail,
  }) as AgentSpec;
  return { spec, errors };
}
