// The editor benchmark's command line (npm run bench:editor -- …).
import { forEachFlag, oneOf, positiveInt } from './flagValues';

export const usage = `Usage: node out/tools/bench/editorBench.js [--rounds N] [--trace small,huge|none] [--keystrokes N] [--cap MS] [--first-cap MS] [--completions-off] [--vsix PATH]
  --rounds N      first-ghost measurements per file, alternating which file comes first (default 3)
  --trace LIST    files to type the trace into (default small,huge; none skips it)
  --keystrokes N  only the first N keystrokes of the trace (default all)
  --cap MS        the longest the typist waits at a pause (default 10000)
  --first-cap MS  the longest a first ghost text is waited for (default 60000); with completions off
                  (--completions-off) the CPU over this window is VS Code's own
  --completions-off  once the model is ready, turn Inkling's completions off: the first-ghost rounds
                  then time out at --first-cap and measure what the editor alone does after the keystrokes
  --vsix PATH     the packaged extension to run (default .test-artifacts/inkling.vsix): another build's, for an A/B
  --log FILE      also write Inkling's log of the whole run (its debug lines time every completion) to FILE
  --setting K=V   a workspace setting for this run, V as JSON (e.g. inkling.completion.debounceMs=100); repeatable
  --auto-close    the editor auto-closes brackets and quotes as VS Code does by default; where Enter put a
                  closer below, the typist moves past it instead of typing it again`;

export interface EditorBenchOptions {
  rounds: number;
  traceFiles: Array<'small' | 'huge'>;
  /** 0: the whole trace. */
  keystrokes: number;
  capMs: number;
  firstCapMs: number;
  /** Completions off once the model is loaded: the first-ghost rounds measure VS Code's own load. */
  completionsOff: boolean;
  /** Another build's .vsix (default: the packaged one). */
  vsix?: string;
  /** Where to write Inkling's log at the end, if anywhere. */
  logFile?: string;
  /** Workspace settings over the benchmark's own. */
  settings: Record<string, unknown>;
  /** The editor auto-closes brackets and quotes (the typist moves past closers Enter put below). */
  autoClose: boolean;
}

/** VS Code's defaults for auto-closing, and typing a closer always over the one after the cursor (the line a typist deletes loses VS Code's own record of which it added). */
export const AUTO_CLOSE_SETTINGS: Readonly<Record<string, unknown>> = {
  'editor.autoClosingBrackets': 'languageDefined',
  'editor.autoClosingQuotes': 'languageDefined',
  'editor.autoClosingOvertype': 'always',
};

export function parseEditorBenchArgs(argv: readonly string[]): EditorBenchOptions {
  const options: EditorBenchOptions = { rounds: 3, traceFiles: ['small', 'huge'], keystrokes: 0, capMs: 10_000, firstCapMs: 60_000, completionsOff: false, settings: {}, autoClose: false };
  forEachFlag(argv, (name, value) => {
    if (name === '--rounds') options.rounds = positiveInt(name, value());
    else if (name === '--trace') {
      // One value() per flag: each call takes the next argument.
      const files = value();
      options.traceFiles = files === 'none' ? [] : files.split(',').map((f) => oneOf(name, f, ['small', 'huge'] as const));
    } else if (name === '--keystrokes') options.keystrokes = positiveInt(name, value());
    else if (name === '--cap') options.capMs = positiveInt(name, value());
    else if (name === '--first-cap') options.firstCapMs = positiveInt(name, value());
    else if (name === '--completions-off') options.completionsOff = true;
    else if (name === '--auto-close') {
      options.autoClose = true;
      options.settings = { ...AUTO_CLOSE_SETTINGS, ...options.settings };
    }
    else if (name === '--log') options.logFile = value();
    else if (name === '--vsix') options.vsix = value();
    else if (name === '--setting') {
      const [key, json] = splitSetting(value());
      options.settings[key] = json;
    }
    else throw new RangeError(`unknown option ${name}`);
  });
  return options;
}

function splitSetting(text: string): [string, unknown] {
  const at = text.indexOf('=');
  if (at <= 0) throw new RangeError(`--setting wants KEY=JSON, got "${text}"`);
  try {
    return [text.slice(0, at), JSON.parse(text.slice(at + 1))];
  } catch {
    throw new RangeError(`--setting ${text.slice(0, at)}: the value is not JSON`);
  }
}
