import { distanceMetres, yuan } from '../geo';

describe('dispatch geometry and money', () => {
  it('measures short distances on the ground to within a metre or two', () => {
    const firm = { latitude: 29.9612, longitude: 121.7125 };
    expect(distanceMetres(firm, firm)).toBe(0);
    // 0.001° of latitude is about 111 m everywhere.
    expect(distanceMetres(firm, { latitude: 29.9622, longitude: 121.7125 })).toBeCloseTo(111.2, 0);
    // 0.001° of longitude shrinks with cos(latitude): about 96.4 m at 30° N.
    expect(distanceMetres(firm, { latitude: 29.9612, longitude: 121.7135 })).toBeCloseTo(96.4, 0);
  });

  it('shows fen as yuan with two decimals', () => {
    expect(yuan(12800)).toBe('128.00');
    expect(yuan(5)).toBe('0.05');
    expect(yuan(0)).toBe('0.00');
  });
});
