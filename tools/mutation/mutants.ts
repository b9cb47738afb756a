// Deliberate one-line bugs in the modules a user leans on most. `npm run test:mutation` applies each to
// a temporary copy of the repository and runs the unit layer there: a bug no test notices is a survivor.
// `from` must occur exactly once in `file` (a line or two of context makes it unique); when the code
// moves on and it no longer does, the run says the mutant is stale instead of guessing.

export interface Mutant {
  /** Short and unique; `--only` takes these. */
  id: string;
  /** Repository-relative path of the file to break. */
  file: string;
  from: string;
  to: string;
  /** What a user would suffer with this bug. */
  bug: string;
}

export const MUTANTS: readonly Mutant[] = [
  // The fit stages: what a completion looks like where it lands.
  {
    id: 'fit.fenceKept',
    file: 'src/completion/postprocess/fences.ts',
    from: `      if (OPENING.test(text)) {
        this.state = 'firstFenced';
        return drop;`,
    to: `      if (OPENING.test(text)) {
        this.state = 'firstFenced';
        return keep(line);`,
    bug: 'an instruct model\'s ```typescript fence becomes the ghost text',
  },
  {
    id: 'fit.seamSpaceDoubled',
    file: 'src/completion/postprocess/seamSpace.ts',
    from: "if (!this.started && this.stripLeading) piece = piece.replace(/^[ \\t]+/, '');",
    to: "if (!this.started && this.stripLeading) piece = piece.replace(/^[ \\t]/, '');",
    bug: '`const total =  price` gets two spaces at the seam when the model starts with two',
  },
  {
    id: 'fit.lineCapOffByOne',
    file: 'src/completion/postprocess/lineCap.ts',
    from: 'return this.index + 1 >= this.maxLines ? last(line) : keep(line);',
    to: 'return this.index >= this.maxLines ? last(line) : keep(line);',
    bug: 'a completion shows one line more than inkling.completion.maxLines',
  },
  {
    id: 'fit.loopsNeverCut',
    file: 'src/completion/postprocess/repetition.ts',
    from: 'if (this.runs[u]! === 0 || stretch < Math.max(3 * u, MIN_STRETCH)) continue;',
    to: 'if (this.runs[u]! >= 0) continue;',
    bug: '`x = x = x = x = …` is shown in full',
  },
  {
    id: 'fit.unbalancedShown',
    file: 'src/completion/postprocess/bracketBalance.ts',
    from: '  if (balanced(text, context)) return text;\n  let end = 0;',
    to: '  if (text !== undefined) return text;\n  let end = 0;',
    bug: 'a completion that opens a block and never closes it is shown, breaking the brackets',
  },
  {
    id: 'fit.closingLineRepeated',
    file: 'src/completion/postprocess/closingLine.ts',
    from: 'return this.context.closedBelow[closesOlder] === width ? stop : keep(line);',
    to: 'return keep(line);',
    bug: 'a `}` the file already has below is shown again',
  },
  {
    id: 'fit.autoClosedDoubled',
    file: 'src/completion/closerMerge.ts',
    from: 'for (let q = at; q < completion.length; q++) if (completion[q] === ch && retyped.has(q)) { found = q; break; }',
    to: 'for (let q = at; q < completion.length; q++) if (completion[q] === ch && retyped.has(q) && q < 0) { found = q; break; }',
    bug: 'in `fetch(‸)` the model\'s retyped `)` and the auto-closed one both stay: `fetch(url))`',
  },
  // Recovery: a failed model comes back by itself.
  {
    id: 'retry.noBackoff',
    file: 'src/model/host/retrySchedule.ts',
    from: 'const delay = this.delays[Math.min(this.failures, this.delays.length - 1)] ?? 0;',
    to: 'const delay = this.delays[0] ?? 0;',
    bug: 'a hub that stays down is asked every 2 s forever',
  },
  {
    id: 'settings.badValueToDefault',
    file: 'src/settings/settings.ts',
    from: '  const fallback = (why: string) => lastValid !== undefined',
    to: '  const fallback = (why: string) => lastValid === null',
    bug: 'a typo in inkling.model.dtype switches a working fp32 model to the default q8, which it may not have',
  },

  // Sampling: which token comes next.
  {
    id: 'sampling.temperatureScalesUp',
    file: 'src/model/process/sampling.ts',
    from: 'weights[i] = Math.exp((scores.at(ids[i]) - max) / options.temperature);',
    to: 'weights[i] = Math.exp((scores.at(ids[i]) - max) * options.temperature);',
    bug: 'a low temperature makes sampling more random instead of less',
  },
  {
    id: 'sampling.penaltyRaisesNegatives',
    file: 'src/model/process/sampling.ts',
    from: 'return score > 0 ? score / penalty : score * penalty;',
    to: 'return score / penalty;',
    bug: 'the repetition penalty makes an unlikely repeated token (negative logit) more likely',
  },
  {
    id: 'sampling.topKWorstFirst',
    file: 'src/model/process/sampling.ts',
    from: 'const worse = (a: number, b: number): boolean => heapScores[a] < heapScores[b]',
    to: 'const worse = (a: number, b: number): boolean => heapScores[a] > heapScores[b]',
    bug: 'top-k keeps the wrong tokens',
  },
  {
    id: 'sampling.nucleusLeastLikelyFirst',
    file: 'src/model/process/sampling.ts',
    from: 'above.sort((a, b) => probs[b] - probs[a] || a - b);',
    to: 'above.sort((a, b) => probs[a] - probs[b] || a - b);',
    bug: 'top-p keeps the least likely tokens',
  },
  {
    id: 'sampling.drawIgnoresKeptMass',
    file: 'src/model/process/sampling.ts',
    from: 'probs: kept.map((i) => probs[i] / keptMass)',
    to: 'probs: kept.map((i) => probs[i])',
    bug: 'after top-p the last kept token is drawn far too often',
  },

  // Text streaming and stop strings.
  {
    id: 'textStream.lastStopWins',
    file: 'src/model/process/textStream.ts',
    from: 'if (at >= 0 && (first < 0 || at < first)) first = at;',
    to: 'if (at >= 0) first = at;',
    bug: 'with several stop strings, text past the earliest one leaks into the completion',
  },
  {
    id: 'textStream.holdsTooLittle',
    file: 'src/model/process/textStream.ts',
    from: 'for (let len = Math.min(stop.length - 1, end); len > hold; len--) {',
    to: 'for (let len = Math.min(stop.length - 2, end); len > hold; len--) {',
    bug: 'the first character of a stop string split across tokens is shown before the stop',
  },
  {
    id: 'textStream.emitsHalfCharacters',
    file: 'src/model/process/textStream.ts',
    from: 'while (end > 0 && this.full[end - 1] === replacementChar) end--;',
    to: '',
    bug: 'half of a multi-byte character is shown as U+FFFD',
  },

  // The kept KV cache.
  {
    id: 'kvCache.reusesWholePrompt',
    file: 'src/model/process/kvCache.ts',
    from: 'const reused = Math.min(commonPrefixLength(kept, promptIds), promptIds.length - 1);',
    to: 'const reused = Math.min(commonPrefixLength(kept, promptIds), promptIds.length);',
    bug: 'a repeated prompt leaves no token to run, so there are no logits for the first new token',
  },
  {
    id: 'kvCache.prefixIgnoresTokens',
    file: 'src/model/process/kvCache.ts',
    from: 'while (i < n && a[i] === b[i]) i++;',
    to: 'while (i < n) i++;',
    bug: 'a different prompt reuses keys and values of text it does not contain',
  },
  {
    id: 'kvCache.neverTrims',
    file: 'src/model/process/kvCache.ts',
    from: 'if (reused === kept.length) return { past, reused };',
    to: 'if (reused <= kept.length) return { past, reused };',
    bug: 'an edit in the middle keeps the old tokens after the edit in the cache',
  },
  {
    id: 'kvCache.truncateWrongOffset',
    file: 'src/model/process/kvCache.ts',
    from: 'const from = block * seq * inner;',
    to: 'const from = block * length * inner;',
    bug: 'a trimmed cache mixes up the heads: every head after the first reads another\'s keys',
  },

  // Prompt-lookup decoding and the kept cache.
  {
    id: 'decodeLoop.rejectedDraftsKept',
    file: 'src/model/process/decodeLoop.ts',
    from: '      if (accepted < drafts.length && past) replacePast(truncatePast(past, fed.length));\n',
    to: '',
    bug: 'a drafted token the model did not agree with stays in the key/value cache and bends every later token',
  },
  {
    id: 'decodeLoop.draftAlwaysAccepted',
    file: 'src/model/process/decodeLoop.ts',
    from: '      if (next !== draft) return { tokens, accepted: i };',
    to: '      if (draft === undefined) return { tokens, accepted: i };',
    bug: 'prompt lookup writes its drafts whatever the model says: the text repeats the prompt',
  },
  {
    id: 'decodeLoop.abandonedPromptDropped',
    file: 'src/model/process/decodeLoop.ts',
    from: '  if (past) ctx.cache.keep(fed, past);',
    to: '  if (past && finish !== \'cancelled\') ctx.cache.keep(fed, past);',
    bug: 'a superseded keystroke throws its finished prompt chunks away: the next keystroke computes them again',
  },

  // The wait after a keystroke.
  {
    id: 'debounce.ignoresSetting',
    file: 'src/completion/adaptiveDebounce.ts',
    from: 'return Math.min(cap, Math.max(MIN_DEBOUNCE_MS, Math.round(estimate)));',
    to: 'return Math.max(MIN_DEBOUNCE_MS, Math.round(estimate));',
    bug: 'a slow model waits longer than the user\'s inkling.completion.debounceMs',
  },

  // One generation at a time.
  {
    id: 'generationQueue.runsConcurrently',
    file: 'src/model/host/generationQueue.ts',
    from: '    if (this.running) return;\n',
    to: '',
    bug: 'a second generation is sent to the model process while one runs',
  },
  {
    id: 'generationQueue.abortedStillRuns',
    file: 'src/model/host/generationQueue.ts',
    from: 'if (at >= 0) this.waiting.splice(at, 1);',
    to: '',
    bug: 'a cancelled request that was still waiting runs anyway',
  },
  {
    id: 'generationQueue.cancelResolvesRunning',
    file: 'src/model/host/generationQueue.ts',
    from: '    if (job.id === undefined) {\n      job.resolve(cancelledResult());',
    to: '    if (job.id !== undefined) {\n      job.resolve(cancelledResult());',
    bug: 'cancelling a running generation answers at once while the process keeps generating',
  },

  // Settings validation.
  {
    id: 'settings.noUpperClamp',
    file: 'src/settings/settings.ts',
    from: 'const clamped = Math.min(spec.maximum, Math.max(spec.minimum, rounded));',
    to: 'const clamped = Math.max(spec.minimum, rounded);',
    bug: 'a huge value (maxNewTokens 1e12) is used as is',
  },
  {
    id: 'settings.nanAccepted',
    file: 'src/settings/settings.ts',
    from: "if (typeof n !== 'number' || Number.isNaN(n)) return fallback(",
    to: "if (typeof n !== 'number') return fallback(",
    bug: 'NaN reaches the sampler',
  },
  {
    id: 'settings.nullSilentlyDefault',
    file: 'src/settings/settings.ts',
    from: "if (raw === null) return fallback('is null');",
    to: 'if (raw === null) return { value: spec.default };',
    bug: 'a null setting is replaced without a word, and its last valid value is lost',
  },
  {
    id: 'settings.enumAcceptsAnything',
    file: 'src/settings/settings.ts',
    from: "return typeof raw === 'string' && spec.values.includes(raw) ? { value: raw }",
    to: "return typeof raw === 'string' ? { value: raw }",
    bug: 'an unknown dtype or template name reaches the loader',
  },

  // Prompt budgets and templates.
  {
    id: 'promptBuilder.suffixTakesAll',
    file: 'src/completion/promptBuilder.ts',
    from: 'takeSuffix(context, Math.floor(available * suffixShare), counter)',
    to: 'takeSuffix(context, available, counter)',
    bug: 'the code after the cursor crowds out the code before it',
  },
  {
    id: 'promptBuilder.prefixIgnoresSuffix',
    file: 'src/completion/promptBuilder.ts',
    from: 'const cap = available - suffix.tokens - reserve;',
    to: 'const cap = available - reserve;',
    bug: 'the prompt runs over the token budget (slower on a CPU)',
  },
  {
    id: 'promptBuilder.snippetsOverBudget',
    file: 'src/completion/promptBuilder.ts',
    from: 'if (formatted === undefined || cost > left) continue;',
    to: 'if (formatted === undefined) continue;',
    bug: 'snippets from other editors push the prompt over its budget',
  },
  {
    id: 'promptBuilder.prefixLineOverCap',
    file: 'src/completion/promptBuilder.ts',
    from: 'const cost = counter.count(before.slice(from, start));\n    if (tokens + cost > cap) break;',
    to: 'const cost = counter.count(before.slice(from, start));\n    if (tokens > cap) break;',
    bug: 'the prefix takes one line more than its share',
  },
  {
    id: 'templates.qwenSwapped',
    file: 'src/completion/templates.ts',
    from: "id: 'qwen',\n  infill: true,\n  pattern: '<|fim_prefix|>{prefix}<|fim_suffix|>{suffix}<|fim_middle|>',",
    to: "id: 'qwen',\n  infill: true,\n  pattern: '<|fim_suffix|>{prefix}<|fim_prefix|>{suffix}<|fim_middle|>',",
    bug: 'Qwen models get their fill-in-the-middle sentinels the wrong way round',
  },
  {
    id: 'templates.gemmaTakenForQwen',
    file: 'src/completion/templates.ts',
    from: "const gemma = tokens.has('<|file_separator|>') || modelType.startsWith('gemma');",
    to: "const gemma = modelType.startsWith('gemma');",
    bug: 'CodeGemma with another model_type gets the Qwen template and its stop tokens',
  },
  {
    id: 'templates.deepseekAsciiBars',
    file: 'src/completion/templates.ts',
    from: "pattern: '<\\uFF5Cfim\\u2581begin\\uFF5C>{prefix}",
    to: "pattern: '<|fim\\u2581begin|>{prefix}",
    bug: 'DeepSeek prompts use ASCII look-alikes of its sentinel, so it never infills',
  },

  // Typed-ahead and the completion cache.
  {
    id: 'typedAhead.crlfCountsOne',
    file: 'src/completion/typedAhead.ts',
    from: "raw += candidate[typedLength] === '\\n' ? position.eolLength : 1;",
    to: 'raw += 1;',
    bug: 'in CRLF files, typing a suggested line break loses the rest of the suggestion',
  },
  {
    id: 'typedAhead.ignoresSuffix',
    file: 'src/completion/typedAhead.ts',
    from: 'suffixHead: position.after.slice(0, ANCHOR_CHARS),',
    to: "suffixHead: '',",
    bug: 'a suggestion made for other code after the cursor is shown again',
  },
  {
    id: 'typedAhead.documentEndGrows',
    file: 'src/completion/typedAhead.ts',
    from: 'return after.slice(0, ANCHOR_CHARS - over) === anchor.suffixHead.slice(over);',
    to: 'return after.startsWith(anchor.suffixHead.slice(over));',
    bug: 'a suggestion made at the end of the document is served on after typing its "(" auto-closes one: a ")" too many',
  },
  {
    id: 'typedAhead.ignoresSettings',
    file: 'src/completion/typedAhead.ts',
    from: 'if (anchor.contextKey !== position.contextKey || anchor.path !== position.path) return undefined;',
    to: 'if (anchor.path !== position.path) return undefined;',
    bug: 'a suggestion made with other settings or another model is served from the cache',
  },
  {
    id: 'completionCache.notLru',
    file: 'src/completion/completionCache.ts',
    from: '    if (entry) this.touch(entry);\n',
    to: '',
    bug: 'the cache evicts the completion just used instead of the oldest',
  },
  {
    id: 'completionCache.keyHashesPromptStart',
    file: 'src/completion/completionCache.ts',
    from: "createHash('sha1').update(prompt)",
    to: "createHash('sha1').update(prompt.slice(0, 1000))",
    bug: 'two prompts that differ only after their first 1000 characters share a cached completion',
  },
  {
    id: 'completionCache.typedAllStillServed',
    file: 'src/completion/completionCache.ts',
    from: 'typed.length > 0 && ',
    to: 'typed.length < 0 && ',
    bug: 'a completion typed out in full still counts as a cache hit with nothing to show',
  },

  // The explanation panel: markdown and CSP.
  {
    id: 'renderMarkdown.unanchoredSafeUrl',
    file: 'src/provider/explain/renderMarkdown.ts',
    from: 'const SAFE_URL = /^(https?:\\/\\/|mailto:)/i;',
    to: 'const SAFE_URL = /(https?:\\/\\/|mailto:)/i;',
    bug: '[x](javascript:…//http://x) renders as a live link',
  },
  {
    id: 'renderMarkdown.noHrefFilter',
    file: 'src/provider/explain/renderMarkdown.ts',
    from: "if (!SAFE_URL.test(attrOf(token, 'href'))) token.attrs = (token.attrs ?? []).filter(([name]) => name !== 'href');",
    to: '',
    bug: 'the second layer is gone: an unsafe href passes whenever validateLink lets it',
  },
  {
    id: 'renderMarkdown.everyLinkValid',
    file: 'src/provider/explain/renderMarkdown.ts',
    from: 'renderer.validateLink = (url: string) => SAFE_URL.test(url.trim());',
    to: 'renderer.validateLink = () => true;',
    bug: 'rejected links show as empty anchors instead of the text the model wrote',
  },
  {
    id: 'renderMarkdown.unsafeImageLinked',
    file: 'src/provider/explain/renderMarkdown.ts',
    from: 'if (!SAFE_URL.test(src)) return `<span class="image-link">${label}</span>`;',
    to: '',
    bug: 'an image with an unsafe source becomes a live link',
  },
  {
    id: 'renderMarkdown.rawHtml',
    file: 'src/provider/explain/renderMarkdown.ts',
    from: "new MarkdownIt('default', { html: false,",
    to: "new MarkdownIt('default', { html: true,",
    bug: 'the model\'s <img onerror=…> reaches the panel as HTML',
  },
  {
    id: 'webviewPage.inlineScripts',
    file: 'src/provider/webviewPage.ts',
    from: "script-src 'nonce-${frame.nonce}';",
    to: "script-src 'unsafe-inline';",
    bug: 'the explanation and statistics pages\' CSP lets any inline script run',
  },
  {
    id: 'webviewPage.shortNonce',
    file: 'src/provider/webviewPage.ts',
    from: 'if (!/^[A-Za-z0-9+/_-]{16,}={0,2}$/.test(frame.nonce))',
    to: 'if (!/^[A-Za-z0-9+/_-]{1,}={0,2}$/.test(frame.nonce))',
    bug: 'a guessable nonce is accepted',
  },

  // Insert as comment.
  {
    id: 'commentOut.notIndented',
    file: 'src/explain/commentOut.ts',
    from: 'const comment = formatAsComment(text, options.languageId, options.indent);',
    to: "const comment = formatAsComment(text, options.languageId, '');",
    bug: 'a comment inserted above an indented line starts at column 0 and breaks Python\'s indentation',
  },
  {
    id: 'commentOut.fenceLinesKept',
    file: 'src/explain/commentOut.ts',
    from: '      inFence = inFence ? \'\' : fence;\n      continue;',
    to: '      inFence = inFence ? \'\' : fence;',
    bug: 'the comment keeps the markdown fence lines',
  },
  {
    id: 'commentOut.noWrap',
    file: 'src/explain/commentOut.ts',
    from: "if (line.length <= width || !line.includes(' ')) return [line];",
    to: 'return [line];',
    bug: 'long explanation lines become one very long comment line',
  },

  // Which process serves which feature.
  {
    id: 'enginePool.keyIgnoresDtype',
    file: 'src/model/host/enginePool.ts',
    from: 'const key = JSON.stringify([options.model, options.dtype, options.device,',
    to: 'const key = JSON.stringify([options.model, options.device,',
    bug: 'changing inkling.model.dtype keeps the old weights loaded',
  },
  {
    id: 'enginePool.oldProcessKept',
    file: 'src/model/host/enginePool.ts',
    from: 'if (previous && previous !== entry) this.release(role, previous);',
    to: '',
    bug: 'switching models leaves the old model process running',
  },
  {
    id: 'enginePool.readyEveryTime',
    file: 'src/model/host/enginePool.ts',
    from: 'if (!entry.announced.has(role)) {',
    to: 'if (true) {',
    bug: '"ready" is announced on every request, not once per load',
  },

  {
    id: 'enginePort.noDeviceFallback',
    file: 'src/model/host/enginePort.ts',
    from: "const device = offered.includes(settings.device) ? settings.device : 'cpu';",
    to: 'const device = settings.device;',
    bug: 'a device this platform does not offer (dml on Linux) fails the load instead of using the CPU',
  },
  {
    id: 'enginePort.deadlineIgnoresBudget',
    file: 'src/model/host/enginePort.ts',
    from: 'deadlineMs: PROMPT_ALLOWANCE_MS + request.sampling.maxNewTokens * SLOWEST_TOKEN_MS,',
    to: 'deadlineMs: PROMPT_ALLOWANCE_MS,',
    bug: 'a long explanation is killed as stuck after 30 s',
  },

  // Previews: a slow model's first lines.
  {
    id: 'preview.noPause',
    file: 'src/completion/completionService.ts',
    from: 'at: generation.previewGiven ? started : started + PREVIEW_AFTER_MS,',
    to: 'at: started,',
    bug: 'every completion flickers: its first line shows, then the whole, even while the user is still typing',
  },
  {
    id: 'preview.orphaned',
    file: 'src/completion/generation.ts',
    from: 'if (this.waiters === 0 && this.active && !this.decided && !this.givenPreview) this.options.onOrphaned(this);',
    to: 'if (this.waiters === 0 && this.active && !this.decided) this.options.onOrphaned(this);',
    bug: 'the model stops half a second after the first line shows: the rest of the completion never comes',
  },
  {
    id: 'preview.bracketsCut',
    file: 'src/completion/fitStream.ts',
    from: 'const chain = new StageChain(this.context, this.stages.filter((make) => make !== bracketBalanceStage));',
    to: 'const chain = new StageChain(this.context, this.stages);',
    bug: 'a block (`return {`, `if (…) {`) shows nothing until the model has closed it',
  },
  {
    id: 'preview.closersHide',
    file: 'src/completion/fitEdit.ts',
    from: "if (context.rest === 'code') return undefined;",
    to: "if (context.rest !== 'end') return undefined;",
    bug: 'inside an auto-closed `(…)` or `{…}` a slow model shows nothing until its whole completion is written',
  },
  {
    id: 'preview.closersDoubled',
    file: 'src/completion/fitEdit.ts',
    from: "{ insertText: merge.text, replaceLength: context.lineSuffix.length }",
    to: "{ insertText: completion, replaceLength: 0 }",
    bug: 'a preview that retypes the auto-closed `)` shows it twice, and Tab leaves `))`',
  },
  {
    id: 'preview.punctuationMerged',
    file: 'src/completion/fitEdit.ts',
    from: "merge && merge.how !== 'other' ?",
    to: 'merge ?',
    bug: 'inside `setTimeout(‸);` a preview shows `tick());`: the user\'s `)` pushed into a line not yet whole, and Tab leaves the cursor outside the call',
  },
  {
    id: 'preview.growthDismissed',
    file: 'src/statistics/ghostTracker.ts',
    from: 'ghost.offset === anchorOf(p) && ghost.text.startsWith(remainingOf(p))) {',
    to: 'ghost.offset === anchorOf(p) && ghost.text === remainingOf(p)) {',
    bug: 'the statistics count each grown preview as a dismissed suggestion',
  },

  // The prompt window moved ahead while the model is idle.
  {
    id: 'ahead.movedPrefixForgotten',
    file: 'src/completion/completionService.ts',
    from: '    this.lastPrefix = { path, contextKey, prefix };\n    this.lastRoom',
    to: '    this.lastRoom',
    bug: 'the window is computed ahead and then not used: the next keystroke still recomputes the whole prompt',
  },
  {
    id: 'ahead.explanationWaits',
    file: 'src/model/host/generationQueue.ts',
    from: 'if (!request.background) for (const other of [...this.waiting, this.running]) if (other?.request.background) this.abort(other);',
    to: '',
    bug: 'an explanation (or a completion) waits for a prompt computed ahead that nobody asked for',
  },
  {
    id: 'ahead.busyWhileIdle',
    file: 'src/model/host/enginePool.ts',
    from: 'request.background ? entry.engine.generate(request, handlers) : this.track(entry.engine.generate(request, handlers));',
    to: 'this.track(entry.engine.generate(request, handlers));',
    bug: 'the status bar spins while Inkling computes a prompt ahead the user is not waiting for',
  },

  // Typed text after the middle marker.
  {
    id: 'autoClosed.strayCloserAllowed',
    file: 'src/completion/autoClosed.ts',
    from: '  const open = closersLeftOpen(typed);',
    to: "  const open = `${closersLeftOpen(typed)})`;",
    bug: 'a ) after the cursor that the typing did not open is taken for an auto-closed one and hidden from the model',
  },
  {
    id: 'typedMiddle.autoClosedRebuilds',
    file: 'src/completion/typedMiddle.ts',
    from: '  return autoClosedSplits(after, typed).some((added) => {',
    to: '  return [0].some((added) => {',
    bug: 'after typing ( with its ) auto-closed, every keystroke computes the whole suffix again',
  },
  {
    id: 'typedAhead.autoClosedKept',
    file: 'src/completion/typedAhead.ts',
    from: 'return { insertText: rest, replaceLength: edit.replaceLength - typed.overtyped + autoClosed.length };',
    to: 'return { insertText: rest, replaceLength: edit.replaceLength - typed.overtyped };',
    bug: 'typing a suggestion\'s ( that the editor auto-closes, then Tab, leaves a ) too many',
  },
  {
    id: 'typedAhead.blockRangeSpansLines',
    file: 'src/completion/typedAhead.ts',
    from: "  if (autoClosed.includes('\\n')) return { insertText: rest.slice(0, rest.indexOf(autoClosed)), replaceLength: edit.replaceLength - typed.overtyped };\n",
    to: '',
    bug: 'typing a block suggestion\'s { and Enter hides it: its range reaches the } Enter moved below, which VS Code does not show',
  },
  {
    id: 'typedAhead.openRestReplaces',
    file: 'src/completion/typedAhead.ts',
    from: "  const splits = pastAutoClosed && closersLeftOpen(candidate) === '' ? autoClosedSplits(position.after, typed) : [0];",
    to: '  const splits = pastAutoClosed ? autoClosedSplits(position.after, typed) : [0];',
    bug: 'the rest of a suggestion that leaves its ( open replaces the editor\'s ), which is lost',
  },
  {
    id: 'typedMiddle.explicitAppends',
    file: 'src/completion/completionService.ts',
    from: "    if (this.switches.typedMiddle && request.trigger === 'automatic' && anchor) {",
    to: '    if (this.switches.typedMiddle && anchor) {',
    bug: 'Alt+\\ reuses the last typing prompt instead of asking about the place as it is',
  },
  {
    id: 'typedMiddle.anchorKeptAfterMove',
    file: 'src/completion/completionService.ts',
    from: '    this.middleAnchor = undefined;\n    const { path, contextKey, prefix, offset, room } = moved;',
    to: '    const { path, contextKey, prefix, offset, room } = moved;',
    bug: 'the keystroke after the window moved ahead recomputes the whole old prompt instead of building on the moved one',
  },

  // Each forward pass's garbage, collected while it is young.
  {
    id: 'garbage.collectedWhileHeld',
    file: 'src/model/process/decodeLoop.ts',
    from: `      const step = await forwardStep(ctx.model, pending.concat(drafts), fed.length, past, drafts.length + 1);
      replacePast(step.past);`,
    to: `      const step = await forwardStep(ctx.model, pending.concat(drafts), fed.length, past, drafts.length + 1);
      ctx.afterPass?.();
      replacePast(step.past);`,
    bug: 'the collection after a pass runs while the pass before\'s key/values are still held, so they survive into the old generation and full collections pause decoding again',
  },
  {
    id: 'garbage.flagDropped',
    file: 'src/model/host/modelProcessClient.ts',
    from: "export const modelProcessFlags: readonly string[] = ['--single-threaded-gc', '--expose-gc'];",
    to: "export const modelProcessFlags: readonly string[] = ['--single-threaded-gc'];",
    bug: 'the model process cannot collect each pass\'s garbage, and decoding pauses for full collections every few tokens',
  },
  // The tuned copy of a downloaded model.
  {
    id: 'tuned.copyNeverUsed',
    file: 'src/model/process/tunedCopy/tunedCopy.ts',
    from: '  return { modelFileName: TUNED_MODEL_NAME, file: paths.copyFile };',
    to: '  return undefined;',
    bug: 'a downloaded model keeps computing every position\'s logits (and a q4 one in float) although its faster copy is on disk',
  },
  {
    id: 'tuned.staleCopyUsed',
    file: 'src/model/process/tunedCopy/tunedCopy.ts',
    from: "  return record.version === RECORD_VERSION && record.sourceSize === source.size && record.sourceMtimeMs === source.mtimeMs;",
    to: "  return record.version === RECORD_VERSION && record.sourceSize === source.size;",
    bug: 'a copy made from an older download of the model is loaded instead of the new one',
  },
  {
    id: 'tuned.openFailureFatal',
    file: 'src/model/process/modelLoader.ts',
    from: '      await discardTunedCopy(location, options.dtype);\n',
    to: '      await discardTunedCopy(location, options.dtype);\n      throw error;\n',
    bug: 'a damaged tuned copy stops the model from loading instead of falling back to the original',
  },
  {
    id: 'tuned.logitsKeptForEveryPosition',
    file: 'src/model/process/tunedCopy/logitsToKeep.ts',
    from: "    { name: name('slice'), opType: 'Slice', inputs: [hidden, name('start'), name('end'), name('axis')], outputs: [sliced] },",
    to: "    { name: name('slice'), opType: 'Identity', inputs: [hidden], outputs: [sliced] },",
    bug: 'the copy takes num_logits_to_keep but still projects every position onto the vocabulary',
  },
  {
    id: 'tuned.dataFileUnchecked',
    file: 'src/model/process/tunedCopy/tunedCopy.ts',
    from: '  return copySize === record.copySize && (record.dataSize === 0 ? dataSize === -1 : dataSize === record.dataSize);',
    to: '  return copySize === record.copySize;',
    bug: 'a tuned copy whose weights file was cut short (a full disk, a crash) is loaded anyway',
  },
  {
    id: 'tuned.anyProductSliced',
    file: 'src/model/process/tunedCopy/logitsToKeep.ts',
    from: '    if (PRODUCTS.has(node.info.opType)) return weightDims(node.info.inputs[1], producers, initializers)?.includes(vocab) ? node : undefined;',
    to: '    if (PRODUCTS.has(node.info.opType)) return node;',
    bug: 'a product that is not the vocabulary projection gets the slice, and keep = 1 broadcasts into wrong logits',
  },

  // A server that was down.
  {
    id: 'server.backoffFailsAtOnce',
    file: 'src/model/server/serverModel.ts',
    from: 'if (blocked && this.options.quiet && !(await this.waitOutBackoff(handlers.signal))) {',
    to: 'if (blocked && this.options.quiet) throw blocked;\n    if (blocked && this.options.quiet && !(await this.waitOutBackoff(handlers.signal))) {',
    bug: 'the request of the last keystroke fails during the back-off: no ghost text comes when the server is back until the user types again',
  },
  {
    id: 'server.backoffIgnoresCaller',
    file: 'src/model/server/serverModel.ts',
    from: 'for (let wait = this.backoff.waitMs; wait > 0 && !signal?.aborted; wait = this.backoff.waitMs) {',
    to: 'for (let wait = this.backoff.waitMs; wait > 0; wait = this.backoff.waitMs) {',
    bug: 'a keystroke\'s request that VS Code or a newer keystroke gave up keeps waiting out the whole back-off (up to 30 s) instead of ending',
  },
  // Error messages a user reads.
  {
    id: 'modelErrors.notFoundByMessageOnly',
    file: 'src/model/process/modelErrors.ts',
    from: "(error.name === 'ModelFileNotFoundError' || /could not locate file/i.test(error.message))",
    to: '/could not locate file/i.test(error.message)',
    bug: 'a missing model file reported in other words is called an internal error, not "not found"',
  },
  {
    id: 'modelErrors.badJsonNotDamaged',
    file: 'src/model/process/modelErrors.ts',
    from: 'if (error instanceof SyntaxError) return true;',
    to: '',
    bug: 'a cut-off config.json is not called damaged, so the user is not told to download it again',
  },
  {
    id: 'modelErrors.cpuBlamedAsDevice',
    file: 'src/model/process/modelErrors.ts',
    from: "if (context.device && context.device !== 'cpu' && !looksDamaged(error)) {",
    to: 'if (context.device && !looksDamaged(error)) {',
    bug: 'a failure on the CPU tells the user to switch to the CPU',
  },
  {
    id: 'userMessage.stackInMessage',
    file: 'src/model/host/userMessage.ts',
    from: 'unexpected problem${what}: ${firstLine(error.message)}.',
    to: 'unexpected problem${what}: ${error.message}.',
    bug: 'a multi-line error (a stack) lands in a notification',
  },
  {
    id: 'userMessage.noLengthCap',
    file: 'src/model/host/userMessage.ts',
    from: "return (line.length > 200 ? `${line.slice(0, 197)}…` : line).replace(/[.\\s]+$/, '');",
    to: "return line.replace(/[.\\s]+$/, '');",
    bug: 'a huge one-line error fills the notification',
  },
  {
    id: 'userMessage.abortNotRecognised',
    file: 'src/model/host/userMessage.ts',
    from: "return error instanceof Error && (error.name === 'AbortError' || (error as { code?: string }).code === 'ABORT_ERR');",
    to: "return error instanceof Error && (error as { code?: string }).code === 'ABORT_ERR';",
    bug: 'a cancelled request is reported as a failure',
  },
];
