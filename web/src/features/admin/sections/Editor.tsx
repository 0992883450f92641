// A code editor for prompt templates: CodeMirror 6 with Jinja highlighting (legacy mode),
// line numbers, history and the default keymap. Controlled: `value` in, `onChange` out.
// It lives in a shadow root: there CodeMirror's styles go into an adopted stylesheet, which
// the page's CSP (`style-src 'self'`, no inline styles) allows; in the document itself it
// would insert a <style> element, which the CSP refuses.

import {defaultKeymap, history, historyKeymap} from "@codemirror/commands";
import {HighlightStyle, StreamLanguage, syntaxHighlighting} from "@codemirror/language";
import {jinja2} from "@codemirror/legacy-modes/mode/jinja2";
import {EditorState} from "@codemirror/state";
import {EditorView, keymap, lineNumbers} from "@codemirror/view";
import {tags} from "@lezer/highlight";
import {useEffect, useRef} from "react";

const colours = HighlightStyle.define([
  {tag: tags.keyword, color: "#c792ea"},
  {tag: [tags.variableName, tags.propertyName], color: "#82aaff"},
  {tag: [tags.string, tags.number, tags.bool], color: "#c3e88d"},
  {tag: tags.comment, color: "#7f8c98", fontStyle: "italic"},
  {tag: [tags.operator, tags.bracket, tags.punctuation], color: "#89ddff"},
]);

const look = EditorView.theme({
  "&": {fontSize: "13px", border: "1px solid rgba(255,255,255,0.23)", borderRadius: "4px"},
  ".cm-content": {fontFamily: "ui-monospace, monospace", caretColor: "#fff"},
  ".cm-gutters": {backgroundColor: "transparent", border: "none", color: "#7f8c98"},
  "&.cm-focused": {outline: "2px solid #90caf9"},
  ".cm-scroller": {maxHeight: "420px", overflow: "auto"},
}, {dark: true});

export function Editor({value, onChange, label}: {value: string; onChange(v: string): void; label: string}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const changed = useRef(onChange);
  changed.current = onChange;

  useEffect(() => {
    if (!host.current) return undefined;
    const shadow = host.current.shadowRoot ?? host.current.attachShadow({mode: "open"});
    const mount = document.createElement("div");
    shadow.replaceChildren(mount);
    const editor = new EditorView({
      root: shadow,
      parent: mount,
      state: EditorState.create({doc: value, extensions: [
        lineNumbers(), history(), keymap.of([...defaultKeymap, ...historyKeymap]),
        StreamLanguage.define(jinja2), syntaxHighlighting(colours), look, EditorView.lineWrapping,
        EditorView.contentAttributes.of({"aria-label": label, "data-testid": "prompt-editor"}),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) changed.current(update.state.doc.toString());
        }),
      ]}),
    });
    view.current = editor;
    return () => editor.destroy();
    // created once; later values are pushed in below
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const editor = view.current;
    if (editor && editor.state.doc.toString() !== value) {
      editor.dispatch({changes: {from: 0, to: editor.state.doc.length, insert: value}});
    }
  }, [value]);

  return <div ref={host} />;
}
