// The page's look: dark like a trading terminal, or Telegram's colours inside the Mini App.

import {createTheme, type Theme} from "@mui/material/styles";

export interface TelegramTheme {
  bg_color?: string;
  text_color?: string;
  hint_color?: string;
  button_color?: string;
  secondary_bg_color?: string;
}

export function appTheme(telegram: TelegramTheme | null = null, light = false): Theme {
  return createTheme({
    palette: {
      mode: light ? "light" : "dark",
      primary: {main: telegram?.button_color ?? "#f0b90b"},
      success: {main: "#0ecb81"},
      error: {main: "#f6465d"},
      background: {default: telegram?.bg_color ?? "#0b0e11",
        paper: telegram?.secondary_bg_color ?? "#151a21"},
      ...(telegram?.text_color ? {text: {primary: telegram.text_color,
        secondary: telegram.hint_color ?? telegram.text_color}} : {}),
    },
    shape: {borderRadius: 8},
    typography: {fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
      h1: {fontSize: "1.25rem", fontWeight: 700}, h2: {fontSize: "1.05rem", fontWeight: 600},
      h3: {fontSize: "0.95rem", fontWeight: 600}},
    components: {
      MuiButton: {defaultProps: {disableElevation: true}},
      MuiPaper: {defaultProps: {elevation: 0}, styleOverrides: {root: {backgroundImage: "none"}}},
    },
  });
}
