#!/usr/bin/env python3
"""Extracts the ```swift examples of the documentation into one Swift file that type-checks them.

Used by Scripts/check-doc-examples.sh. Sources of examples:
  - fenced ```swift blocks of README.md, Benchmarks/README.md, Tests/README.md, Documentation/**/*.md
    and the DocC catalogues Sources/*/Documentation.docc/**/*.md;
  - ```swift blocks inside `///` doc comments of Sources/**/*.swift.
A markdown block whose previous non-blank line is `<!-- no-check -->` is skipped (doc comments
have no such escape: their examples must compile).

Each example becomes the body of its own throwing function, under `#sourceLocation`, so the
compiler's diagnostics name the documentation's file and line. `import` lines are hoisted to the
top of the file. Examples in the doc comments of internal declarations (no `public`) go to a
second file that imports the libraries with `@testable` (debug builds allow it). The free names the examples use (`x`, `y`, `prediction`, ...) are declared by
PREAMBLE below.

  doc_examples.py generate DIR                  # writes DIR/public.swift, DIR/internal.swift and
                                                # DIR/examples.json (the examples' index)
  doc_examples.py report DIR/examples.json DIAGNOSTICS   # maps swiftc's errors to examples;
                                                          # exit 1 if any
"""
import glob
import json
import os
import re
import sys

PREAMBLE = '''\
// The free names of the documentation's examples. Values do not matter: the examples are only
// type-checked, never run.
let x = try! Tensor<Float>(shape: [1, 3, 32, 32], repeating: 0.5)
let y = try! Tensor<Float>(shape: [1, 3, 32, 32], repeating: 0.25)
let a = x, b = y
let prediction = x, target = y
let img1 = x, img2 = y
let pixels1 = [Float](repeating: 0.5, count: 2 * 3 * 64 * 64)
let pixels2 = [Float](repeating: 0.25, count: 2 * 3 * 64 * 64)
let maskValues = [Float](repeating: 1, count: 2 * 64 * 64)
let mask = try! Tensor<Float>(shape: [1, 1, 32, 32], repeating: 1)
let voxels1 = [Float](repeating: 0.5, count: 32 * 64 * 64)
let voxels2 = [Float](repeating: 0.25, count: 32 * 64 * 64)
let v1 = try! Tensor<Float>(shape: [1, 1, 16, 16, 16], repeating: 0.5)
let v2 = try! Tensor<Float>(shape: [1, 1, 16, 16, 16], repeating: 0.25)
let map = try! ssim(x, y, windowSize: 11)
let lossMap = try! Tensor<Float>(shape: [1, 32, 32], repeating: 0.1)
let t = try! Tensor<Float>(shape: [1, 3, 32, 32], repeating: 0.5)
let ssimMap = map, restored = x
let ssimPart = try! ssimLoss(x, y, windowSize: 11)
let pngBytes = try! ImageFile.encodePNG(x)
let bytes = pngBytes
nonisolated(unsafe) var image = RGB8Image(width: 8, height: 8, color: (255, 255, 255))
let png = Data(pngBytes), pngData = png
func renderChart() throws -> Data { png }
let folder = URL(fileURLWithPath: "/tmp/references")
let local = try! LocalSSIMMap(map)
let pixels = [UInt8](repeating: 255, count: 64 * 48 * 4)
let reference = x, actual = y
nonisolated(unsafe) let reader = try! YUV4MPEGReader(bytes: Array("YUV4MPEG2 W8 H8 C444\\nFRAME\\n".utf8) + [UInt8](repeating: 0, count: 192))
let frame = try! YUVFrame(number: 1, header: reader.header, bytes: [UInt8](repeating: 0, count: 192))
'''

MARKDOWN_GLOBS = [
    'README.md', 'Benchmarks/README.md', 'Tests/README.md', 'Documentation/**/*.md',
    'Sources/*/Documentation.docc/**/*.md',
]
SWIFT_GLOBS = ['Sources/**/*.swift']
IMPORT = re.compile(r'^\s*(@testable\s+)?import\s+[A-Za-z_][A-Za-z_0-9.]*\s*$')
NO_CHECK = '<!-- no-check -->'


def markdown_examples(path):
    lines = open(path, encoding='utf-8').read().split('\n')
    examples, i = [], 0
    while i < len(lines):
        if re.match(r'^\s*```swift\s*$', lines[i]):
            start = i
            j = i + 1
            while j < len(lines) and not re.match(r'^\s*```\s*$', lines[j]):
                j += 1
            previous = next((lines[k].strip() for k in range(start - 1, -1, -1) if lines[k].strip()), '')
            indent = len(lines[i]) - len(lines[i].lstrip())
            body = [line[indent:] if line[:indent].strip() == '' else line for line in lines[start + 1:j]]
            examples.append({'file': path, 'line': start + 2, 'code': body, 'skip': previous == NO_CHECK,
                             'internal': False})
            i = j + 1
        else:
            i += 1
    return examples


def doc_comment_examples(path):
    lines = open(path, encoding='utf-8').read().split('\n')
    doc = re.compile(r'^\s*/// ?(.*)$')
    examples, i = [], 0
    while i < len(lines):
        m = doc.match(lines[i])
        if m and re.match(r'^\s*```swift\s*$', m.group(1)):
            start = i
            body = []
            j = i + 1
            while j < len(lines):
                n = doc.match(lines[j])
                if not n or re.match(r'^\s*```\s*$', n.group(1)):
                    break
                body.append(n.group(1))
                j += 1
            # The declaration the comment documents: the first line after it that is not an attribute
            # or a conditional-compilation line.
            k = j + 1
            while k < len(lines) and (doc.match(lines[k]) or lines[k].strip().startswith(('@', '#if', '#else', '#elseif', '#endif'))):
                k += 1
            declaration = lines[k] if k < len(lines) else ''
            internal = not re.search(r'\b(public|open)\b', declaration)
            examples.append({'file': path, 'line': start + 2, 'code': body, 'skip': False, 'internal': internal})
            i = j + 1
        else:
            i += 1
    return examples


def collect():
    files = []
    for pattern in MARKDOWN_GLOBS + SWIFT_GLOBS:
        files += sorted(glob.glob(pattern, recursive=True))
    examples = []
    for path in dict.fromkeys(files):
        examples += markdown_examples(path) if path.endswith('.md') else doc_comment_examples(path)
    return examples


LIBRARIES = ['StructuralSimilarity', 'SSIMFormats', 'SSIMTestSupport', 'SSIMTesting']
# Imported as they are in both files (system modules: no @testable); SSIMTesting's examples need them.
SYSTEM = ['Foundation', 'Testing', 'XCTest']


def swift_file(examples, testable):
    """One Swift file type-checking `examples`; with `testable`, the libraries are imported
    `@testable` (examples in the doc comments of internal declarations)."""
    imports = set()
    functions = []
    for example in examples:
        code = []
        for line in example['code']:
            if IMPORT.match(line):
                if line.split()[-1] not in LIBRARIES + SYSTEM:
                    imports.add(line.strip())
                code.append('')   # keeps the line numbers
            else:
                code.append('    ' + line)
        functions.append('func %s() throws {\n#sourceLocation(file: "%s", line: %d)\n%s\n#sourceLocation()\n}\n'
                         % (example['function'], example['file'], example['line'], '\n'.join(code)))
    header = [('@testable import ' if testable else 'import ') + name for name in LIBRARIES]
    header += ['import ' + name for name in SYSTEM]
    for line in sorted(imports):
        module = line.split()[-1]
        header.append('#if canImport(%s)\n%s\n#endif' % (module, line) if module.startswith('_') else line)
    return '\n'.join(header) + '\n\n' + PREAMBLE + '\n' + '\n'.join(functions)


def generate(out_directory):
    examples = collect()
    for number, example in enumerate(examples):
        example['function'] = 'example%d' % number
    checked = [e for e in examples if not e['skip']]
    with open(os.path.join(out_directory, 'public.swift'), 'w', encoding='utf-8') as f:
        f.write(swift_file([e for e in checked if not e['internal']], testable=False))
    with open(os.path.join(out_directory, 'internal.swift'), 'w', encoding='utf-8') as f:
        f.write(swift_file([e for e in checked if e['internal']], testable=True))
    with open(os.path.join(out_directory, 'examples.json'), 'w', encoding='utf-8') as f:
        json.dump(examples, f)
    print('%d examples (%d on internal declarations, checked with @testable import; %d skipped with %s) from %d files'
          % (len(checked), sum(1 for e in checked if e['internal']), len(examples) - len(checked), NO_CHECK,
             len({e['file'] for e in examples})))


def report(index_json, diagnostics_path):
    examples = json.load(open(index_json, encoding='utf-8'))
    diagnostics = open(diagnostics_path, encoding='utf-8', errors='replace').read().split('\n')
    error = re.compile(r'^(.+?):(\d+):(\d+): error: (.*)$')
    failing, stray = {}, []
    for line in diagnostics:
        m = error.match(line)
        if not m:
            continue
        path, number, message = m.group(1), int(m.group(2)), m.group(4)
        owner = None
        for index, example in enumerate(examples):
            if example['skip'] or example['file'] != path:
                continue
            if example['line'] <= number < example['line'] + max(len(example['code']), 1):
                owner = index
                break
        if owner is None:
            stray.append(line)
        else:
            failing.setdefault(owner, []).append('%s:%d: %s' % (path, number, message))
    for index in sorted(failing):
        example = examples[index]
        print('FAIL %s:%d (the ```swift block opened on line %d)' % (example['file'], example['line'] - 1, example['line'] - 1))
        for message in dict.fromkeys(failing[index]):
            print('    ' + message)
    for line in stray:
        print('ERROR (outside any example) ' + line)
    checked = sum(1 for e in examples if not e['skip'])
    print('%d of %d examples fail' % (len(failing), checked))
    return 1 if failing or stray else 0


if __name__ == '__main__':
    if len(sys.argv) == 3 and sys.argv[1] == 'generate':
        generate(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == 'report':
        sys.exit(report(sys.argv[2], sys.argv[3]))
    else:
        sys.exit(__doc__)
