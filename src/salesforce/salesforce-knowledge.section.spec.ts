import { knowledgeKeywords, plainText } from './salesforce-knowledge.section';

describe('Knowledge text helpers', () => {
  it('should turn rich text into plain words, joining inline tags and decoding entities', () => {
    expect(
      plainText(
        '<p>Choose <b>Forgot password</b>.</p><p>Use the newest email &amp; check spam&nbsp;too.</p>',
      ),
    ).toBe('Choose Forgot password. Use the newest email & check spam too.');
  });

  it('should drop scripts and styles entirely', () => {
    expect(plainText('<style>p{color:red}</style><p>Hello</p><script>alert(1)</script>')).toBe('Hello');
  });

  it('should keep the words of a question that carry meaning, once each', () => {
    expect(knowledgeKeywords('How do I reset my password? Reset it, please!')).toEqual(['reset', 'password']);
  });

  it('should keep Korean words', () => {
    expect(knowledgeKeywords('비밀번호 재설정 방법')).toEqual(['비밀번호', '재설정', '방법']);
  });
});
