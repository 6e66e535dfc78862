// The subset of hbs (Express's Handlebars view engine) the service uses; the package ships no types.
declare module 'hbs' {
  const hbs: {
    registerPartial(name: string, template: string): void;
    registerHelper(name: string, helper: (...args: never[]) => unknown): void;
    handlebars: {
      SafeString: new (html: string) => unknown;
      escapeExpression(text: string): string;
    };
  };
  export default hbs;
}
