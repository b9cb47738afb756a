// A prompt whose completion it already holds, as when the user writes a block that repeats one
// above it: the test models' explanation (added tokens, so the quoted text tokenizes to exactly
// what the model writes), then the line that starts it again. The constructed models write the
// explanation after a line ending in ":"; prompt lookup can draft all of it from the quote.
import { SUCCESSOR_EXPLAIN_TEXT } from '../makeModel/successorScript';

export const repeatPrompt = `Explanation:\n${SUCCESSOR_EXPLAIN_TEXT}\n\nExplanation:\n`;
