import { findChromium } from './chromium';

describe(findChromium.name, () => {
  const only =
    (...paths: string[]) =>
    (path: string): boolean =>
      paths.includes(path);

  it('takes CHROMIUM_PATH when set, and nothing else', () => {
    expect(
      findChromium({ CHROMIUM_PATH: '/opt/c/chrome', PATH: '/usr/bin' }, only('/opt/c/chrome', '/usr/bin/chromium')),
    ).toEqual({ found: true, path: '/opt/c/chrome', source: 'CHROMIUM_PATH' });
    expect(findChromium({ CHROMIUM_PATH: '/nope', PATH: '/usr/bin' }, only('/usr/bin/chromium'))).toEqual({
      found: false,
      fromEnv: true,
      problem: 'CHROMIUM_PATH=/nope is not an executable file',
    });
  });

  it('otherwise searches PATH in order for chromium, then chromium-browser', () => {
    const env = { PATH: '/a:/b' };
    expect(findChromium(env, only('/b/chromium', '/a/chromium-browser'))).toEqual({
      found: true,
      path: '/a/chromium-browser',
      source: 'PATH',
    });
    expect(findChromium(env, only('/b/chromium'))).toMatchObject({ path: '/b/chromium' });
  });

  it('says what it looked for when there is none', () => {
    expect(findChromium({ PATH: '/a' }, only())).toEqual({
      found: false,
      fromEnv: false,
      problem: 'no chromium or chromium-browser on PATH, and CHROMIUM_PATH is unset',
    });
  });
});
