// NLP.js ships no types; each stemmer file exports one class with stemWord().
declare module '@nlpjs/*' {
  const Stemmer: new () => { stemWord(word: string): string };
  export default Stemmer;
}
