/**
 * Sentences the agent speaks. Text-to-speech reads "00001027" as a number ("one thousand and twenty-seven"),
 * so case numbers are spelled digit by digit.
 */
export function spellDigits(value: string): string {
  return value.split('').join(' ');
}

export function caseStatusSentence(caseNumber: string, status: string, subject?: string): string {
  const about = subject ? `, about "${subject.slice(0, 80)}",` : '';
  return `Case ${spellDigits(caseNumber)}${about} is ${status.toLowerCase()}.`;
}

const ISSUE_WORDS = { billing: 'billing', technical: 'technical', account: 'account' } as const;

export function caseOpenedSentence(caseNumber: string, issueType: keyof typeof ISSUE_WORDS): string {
  return `I've opened case ${spellDigits(caseNumber)} for your ${ISSUE_WORDS[issueType]} issue.`;
}

export function caseConfirmationSms(caseNumber: string, companyName: string): string {
  return `Your case ${caseNumber} has been opened with ${companyName}. Reply or call us with this number for updates.`;
}
