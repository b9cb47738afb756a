// The text the test tokenizer learns its merges from: a little Python, TypeScript, English prose
// and Chinese, so common code fragments, words and the full-width colon get tokens of their own.
// Written for this project; the exact merges only need to be stable, not good.

const PYTHON = `def quicksort(arr):
    if len(arr) <= 1:
        return arr
    pivot = arr[0]
    left = [x for x in arr[1:] if x < pivot]
    right = [x for x in arr[1:] if x >= pivot]
    return quicksort(left) + [pivot] + quicksort(right)


def binary_search(items, target):
    low, high = 0, len(items) - 1
    while low <= high:
        middle = (low + high) // 2
        if items[middle] == target:
            return middle
        if items[middle] < target:
            low = middle + 1
        else:
            high = middle - 1
    return -1


class Counter:
    def __init__(self, start=0):
        self.value = start

    def increment(self, step=1):
        self.value += step
        return self.value

    def reset(self):
        self.value = 0


def read_lines(path):
    with open(path, "r", encoding="utf-8") as handle:
        return [line.rstrip("\\n") for line in handle]


if __name__ == "__main__":
    numbers = [5, 3, 8, 1, 9, 2]
    print(quicksort(numbers))
    print(binary_search(sorted(numbers), 8))
`;

const TYPESCRIPT = `export interface Point {
  x: number;
  y: number;
}

export function distance(a: Point, b: Point): number {
  const dx = a.x - b.x;
  const dy = a.y - b.y;
  return Math.sqrt(dx * dx + dy * dy);
}

export class Cache<T> {
  private readonly entries = new Map<string, T>();

  get(key: string): T | undefined {
    return this.entries.get(key);
  }

  set(key: string, value: T): void {
    this.entries.set(key, value);
  }
}

export async function fetchText(url: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) {
    throw new Error(\`Request failed: \${response.status}\`);
  }
  return response.text();
}

for (let index = 0; index < 10; index++) {
  console.log(index, index * index);
}
`;

const ENGLISH = `Explanation: the function returns the sorted list.
Explanation: this loop reads every line of the file and removes the trailing newline.
A code completion model reads the text before and after the cursor and suggests the missing middle.
The model runs on your own machine, so nothing you type leaves the computer.
When the suggestion is long, the editor shows it as grey text; press Tab to accept it.
Explain the selected code in plain words: what it does, why, and what could go wrong.
The quick brown fox jumps over the lazy dog. Pack my box with five dozen liquor jugs.
Numbers like 2024, 3.14 and 1,000,000 are split into single digits.
`;

const CHINESE = `解释：这个函数使用快速排序对列表进行排序。
解释：这段代码读取文件的每一行。
问题：为什么要选择第一个元素作为基准？
回答：这样实现最简单，但是对已经排好序的列表效率很低。
说明：模型在本地运行，不会上传你的代码。
注意：按 Tab 键接受建议。
总结：代码补全需要光标前后的文本。
`;

const MARKDOWN = `# Notes

- **Bold** text and \`inline code\` are common in answers.
- Lists start with a dash.

\`\`\`python
print("hello, world")
\`\`\`

Emoji and symbols also appear: 🙂 👍 ✨ → ✓ ±.
`;

export const TRAINING_CORPUS = [PYTHON, TYPESCRIPT, ENGLISH, CHINESE, MARKDOWN].join('\n');
