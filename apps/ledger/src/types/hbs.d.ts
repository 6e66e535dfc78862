// The subset of hbs (Express's Handlebars view engine) the service uses; the package ships no types.
declare module 'hbs' {
  const hbs: {
    registerPartial(name: string, template: string): void;
    registerHelper(name: string, helper: (...args: never[]) => unknown): void;
    /** A helper whose value comes later (its last argument is the callback): hbs puts a placeholder in
     * the output and replaces it once the template has run and every callback answered. */
    registerAsyncHelper(name: string, helper: (...args: never[]) => void): void;
    handlebars: {
      SafeString: new (html: string) => unknown;
      escapeExpression(text: string): string;
    };
  };
  export default hbs;
}
