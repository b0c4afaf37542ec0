import { parseFormat, renderInspect, renderList } from '../../../cli/format/output';
import { formatPorts } from '../../../cli/format/ports';
import { renderTable } from '../../../cli/format/table';

describe('renderTable', () => {
  it('pads each column to its widest cell plus three spaces, at least ten, leaving the last unpadded', () => {
    const text = renderTable(
      ['ID', 'NAME', 'REPLICAS'],
      [
        ['abc', 'a-rather-long-name', '3/3'],
        ['defghijklmno', 'x', '10/10'],
      ],
    );
    expect(text).toBe(
      'ID             NAME                 REPLICAS\n' +
        'abc            a-rather-long-name   3/3\n' +
        'defghijklmno   x                    10/10\n',
    );
  });

  it('trims trailing blanks of empty last cells', () => {
    expect(renderTable(['A', 'B'], [['x', '']])).toBe('A         B\nx\n');
  });

  it('prints only the header for no rows', () => {
    expect(renderTable(['ID', 'NAME'], [])).toBe('ID        NAME\n');
  });
});

describe('renderList', () => {
  const columns = [
    { header: 'ID', value: (r: { id: string; n: number }) => r.id },
    { header: 'N', value: (r: { id: string; n: number }) => String(r.n) },
  ];
  const rows = [
    { id: 'a', n: 1 },
    { id: 'b', n: 2 },
  ];

  it('prints a table', () => {
    expect(renderList('table', columns, rows)).toBe('ID        N\na         1\nb         2\n');
  });

  it('prints one JSON object per line with --format json', () => {
    expect(renderList('json', columns, rows)).toBe('{"id":"a","n":1}\n{"id":"b","n":2}\n');
  });
});

describe('renderInspect', () => {
  it('prints a pretty JSON array, or compact lines with --format json', () => {
    expect(renderInspect('table', [{ a: 1 }])).toBe('[\n    {\n        "a": 1\n    }\n]\n');
    expect(renderInspect('json', [{ a: 1 }, { b: 2 }])).toBe('{"a":1}\n{"b":2}\n');
  });
});

describe('parseFormat', () => {
  it('knows json, and a table by default', () => {
    expect(parseFormat(undefined)).toBe('table');
    expect(parseFormat('json')).toBe('json');
  });

  it('refuses anything else naming --format', () => {
    expect(() => parseFormat('{{.ID}}')).toThrow('invalid --format: expected "json", got "{{.ID}}"');
  });
});

describe('formatPorts', () => {
  it('lists allocated ports docker-style and skips unallocated ones', () => {
    expect(
      formatPorts([
        { protocol: 'tcp', targetPort: 80, publishedPort: 8080, publishMode: 'ingress' },
        { protocol: 'udp', targetPort: 53, publishedPort: 30000, publishMode: 'ingress' },
        { protocol: 'tcp', targetPort: 81, publishedPort: 0, publishMode: 'ingress' },
      ]),
    ).toBe('*:8080->80/tcp, *:30000->53/udp');
  });
});
