// Names of TA-Lib's candlestick patterns (the API sends CDL names in lower case, e.g.
// "closingmarubozu") as a trader reads them, in English and Russian. Unknown names are shown
// as sent.

const NAMES: Record<string, [string, string]> = {
  "2crows": ["Two crows", "Две вороны"],
  "3blackcrows": ["Three black crows", "Три чёрные вороны"],
  "3inside": ["Three inside up/down", "Три внутри"],
  "3linestrike": ["Three-line strike", "Удар тремя линиями"],
  "3outside": ["Three outside up/down", "Три снаружи"],
  "3starsinsouth": ["Three stars in the south", "Три звезды на юге"],
  "3whitesoldiers": ["Three white soldiers", "Три белых солдата"],
  abandonedbaby: ["Abandoned baby", "Брошенный младенец"],
  advanceblock: ["Advance block", "Блокировка роста"],
  belthold: ["Belt hold", "Захват за пояс"],
  breakaway: ["Breakaway", "Отрыв"],
  closingmarubozu: ["Closing marubozu", "Марубозу закрытия"],
  counterattack: ["Counterattack", "Контратака"],
  darkcloudcover: ["Dark cloud cover", "Завеса из тёмных облаков"],
  doji: ["Doji", "Доджи"],
  dojistar: ["Doji star", "Звезда доджи"],
  dragonflydoji: ["Dragonfly doji", "Доджи-стрекоза"],
  engulfing: ["Engulfing", "Поглощение"],
  eveningdojistar: ["Evening doji star", "Вечерняя звезда доджи"],
  eveningstar: ["Evening star", "Вечерняя звезда"],
  gravestonedoji: ["Gravestone doji", "Доджи-надгробие"],
  hammer: ["Hammer", "Молот"],
  hangingman: ["Hanging man", "Повешенный"],
  harami: ["Harami", "Харами"],
  haramicross: ["Harami cross", "Крест харами"],
  highwave: ["High wave", "Высокая волна"],
  hikkake: ["Hikkake", "Хикаке"],
  hikkakemod: ["Modified hikkake", "Модифицированный хикаке"],
  homingpigeon: ["Homing pigeon", "Почтовый голубь"],
  invertedhammer: ["Inverted hammer", "Перевёрнутый молот"],
  kicking: ["Kicking", "Удар"],
  longleggeddoji: ["Long-legged doji", "Длинноногий доджи"],
  longline: ["Long line", "Длинная свеча"],
  marubozu: ["Marubozu", "Марубозу"],
  matchinglow: ["Matching low", "Совпадающие минимумы"],
  morningdojistar: ["Morning doji star", "Утренняя звезда доджи"],
  morningstar: ["Morning star", "Утренняя звезда"],
  piercing: ["Piercing line", "Просвет в облаках"],
  rickshawman: ["Rickshaw man", "Рикша"],
  risefall3methods: ["Rising/falling three methods", "Три метода"],
  separatinglines: ["Separating lines", "Разделяющиеся линии"],
  shootingstar: ["Shooting star", "Падающая звезда"],
  shortline: ["Short line", "Короткая свеча"],
  spinningtop: ["Spinning top", "Волчок"],
  stalledpattern: ["Stalled pattern", "Остановка"],
  takuri: ["Takuri", "Такури"],
  tasukigap: ["Tasuki gap", "Разрыв тасуки"],
  thrusting: ["Thrusting", "Толчок"],
  tristar: ["Tri-star", "Три звезды"],
  upsidegap2crows: ["Upside gap two crows", "Две вороны с разрывом"],
};

export function patternName(name: string, language: string): string {
  const names = NAMES[name];
  if (!names) return String(name);
  return language === "ru" ? names[1] : names[0];
}
