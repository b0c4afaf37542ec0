/**
 * Splits a command line into words as a POSIX shell would, without expansions: whitespace separates
 * words, single quotes keep everything, double quotes keep everything but `\"` and `\\`, a backslash
 * outside quotes escapes the next character.
 * @throws Error on an unterminated quote or a trailing backslash.
 */
export function splitShellWords(text: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let i = 0;
  const fail = (what: string): never => {
    throw new Error(`${what} in "${text}"`);
  };
  while (i < text.length) {
    const c = text[i++];
    if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === "'") {
      const end = text.indexOf("'", i);
      if (end < 0) fail('unterminated single quote');
      word = (word ?? '') + text.slice(i, end);
      i = end + 1;
    } else if (c === '"') {
      word ??= '';
      for (;;) {
        if (i >= text.length) fail('unterminated double quote');
        const d = text[i++];
        if (d === '"') break;
        word += d === '\\' && (text[i] === '"' || text[i] === '\\') ? text[i++] : d;
      }
    } else if (c === '\\') {
      if (i >= text.length) fail('trailing backslash');
      word = (word ?? '') + text[i++];
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}
