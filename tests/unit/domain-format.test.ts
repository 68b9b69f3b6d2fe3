import { describe, expect, it } from 'vitest';
import { readableNumber, readableValue } from '../../src/domain/format';

describe('numbers for reading (screen and note)', () => {
  it.each([
    [1.4035087719298245, '1.4'],
    [24.561, '24.56'],
    [0.70175438596, '0.702'],
    [3.5, '3.5'],
    [1.07, '1.07'],
    [12345.6, '12345.6'],
    [2173, '2173'],
    [0, '0'],
    [-2.6714, '-2.67'],
  ])('%s → %s', (value, text) => {
    expect(readableNumber(value)).toBe(text);
  });
  it('numeric text with a long tail is shortened; words and short numbers are kept', () => {
    expect(readableValue('1.4035087719298245')).toBe('1.4');
    expect(readableValue('4.6')).toBe('4.6');
    expect(readableValue('viable')).toBe('viable');
    expect(readableValue(true)).toBe('yes');
  });
});
