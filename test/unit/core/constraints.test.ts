import { constraintHolds, formatConstraint, parseConstraint } from '../../../core/model/constraints';

describe('constraint parsing', () => {
  it.each([
    ['node.labels.storage==ssd', 'node.labels.storage', '==', 'ssd'],
    ['node.role == manager', 'node.role', '==', 'manager'],
    ['  node.hostname!=web-1 ', 'node.hostname', '!=', 'web-1'],
    ['engine.labels.os.version==22.04', 'engine.labels.os.version', '==', '22.04'],
    ['node.ip==10.0.0.0/8', 'node.ip', '==', '10.0.0.0/8'],
  ])('parses %s', (expr, key, operator, value) => {
    expect(parseConstraint(expr)).toEqual({ key, operator, value });
  });

  it.each([
    ['node.labels.x~y', /is not a constraint: expected KEY==VALUE or KEY!=VALUE/],
    ['node.labels.x=y', /is not a constraint/],
    ['node.role==', /has no value after ==/],
    ['==manager', /is not a constraint/],
    ['node.role==a==b', /more than one operator/],
    ['node.labels.x>y', /is not a constraint/],
  ])('refuses %s naming the field', (expr, message) => {
    expect(() => parseConstraint(expr, '--constraint')).toThrow(message);
    expect(() => parseConstraint(expr, '--constraint')).toThrow(/^invalid --constraint: /);
  });

  it('compares case-insensitively as whole strings; missing fails == and passes !=', () => {
    const eq = parseConstraint('node.labels.zone==EU-1');
    const ne = parseConstraint('node.labels.zone!=eu-1');
    expect(constraintHolds(eq, 'eu-1')).toBe(true);
    expect(constraintHolds(eq, 'eu-10')).toBe(false);
    expect(constraintHolds(eq, undefined)).toBe(false);
    expect(constraintHolds(ne, undefined)).toBe(true);
    expect(constraintHolds(ne, 'EU-1')).toBe(false);
    expect(formatConstraint(eq)).toBe('node.labels.zone==EU-1');
  });
});
