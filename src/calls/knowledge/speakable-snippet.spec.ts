import { speakableSnippet } from './speakable-snippet';

describe('speakableSnippet', () => {
  it('should keep a short text as it is, with its spaces tidied', () => {
    expect(speakableSnippet('  Unplug the router.\n Wait thirty seconds. ')).toBe(
      'Unplug the router. Wait thirty seconds.',
    );
  });

  it('should cut a long text after the last whole sentence that fits', () => {
    const first = 'To reset your password, open the sign-in page and choose Forgot password.';
    const second = 'We send you a link that works for one hour.';
    const text = `${first} ${second} ${'Then there is a great deal more to say about it. '.repeat(10)}`;

    expect(speakableSnippet(text, first.length + second.length + 5)).toBe(`${first} ${second}`);
  });

  it('should not end a sentence at a decimal point', () => {
    const text = `Install version 2.5 or later and restart. ${'More words follow here. '.repeat(20)}`;
    expect(speakableSnippet(text, 60)).toBe('Install version 2.5 or later and restart.');
  });

  it('should cut a first sentence longer than the limit at a word, with an ellipsis', () => {
    const snippet = speakableSnippet(`${'word '.repeat(100)}end.`, 50);
    expect(snippet.length).toBeLessThanOrEqual(50);
    expect(snippet).toMatch(/^word( word)*…$/);
  });

  it('should cut Korean text at its sentence end', () => {
    const text = `로그인 페이지에서 비밀번호 찾기를 선택하세요. ${'추가 설명이 이어집니다. '.repeat(20)}`;
    expect(speakableSnippet(text, 35)).toBe('로그인 페이지에서 비밀번호 찾기를 선택하세요.');
  });
});
