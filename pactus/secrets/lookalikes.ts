// GENERATED from the Unicode confusables data (confusables.txt, as the unhomoglyph package ships it): every
// character that Unicode lists as confusable with one Latin letter and that NFKD does not already turn into ASCII.
// test/unit/pactus/secrets-fold.test.ts re-derives this table from that data and fails when they differ.

/** Look-alike characters by the Latin letter they pass for. */
export const LOOKALIKES: Record<string, string> = {
  a: '⍺ɑα𝛂𝛼𝜶𝝰𝞪аΑ𝚨𝛢𝜜𝝖𝞐АᎪᗅꓮ𖽀𐊠',
  b: 'ƄЬᏏᑲᖯꞴΒ𝚩𝛣𝜝𝝗𝞑ВᏴᗷꓐ𐊂𐊡𐌁',
  c: 'ᴄϲⲥсꮯ𐐽🝌𑣲𑣩ϹⲤСᏟꓚ𐊢𐌂𐐕𐔜',
  d: 'ԁᏧᑯꓒᎠᗞᗪꓓ',
  e: '℮ꬲеҽ⋿Ε𝚬𝛦𝜠𝝚𝞔ЕⴹᎬꓰ𑢦𑢮𐊆',
  f: 'ꬵꞙẝք𝈓ꞘϜ𝟊ᖴꓝ𑣂𑢢𐊇𐊥𐔥',
  g: 'ɡᶃƍցԌᏀᏳꓖ',
  h: 'һհᏂΗ𝚮𝛨𝜢𝝜𝞖ⲎНᎻᕼꓧ𐋏',
  i: '⍳ı𝚤ɪɩιι𝛊𝜄𝜾𝝸𝞲іꙇӏꭵᎥ𑣃',
  j: 'ϳјꞲͿЈᎫᒍꓙ',
  k: 'Κ𝚱𝛫𝜥𝝟𝞙ⲔКᏦᛕꓗ𐔘',
  l: '׀∣⏽￨١۱𐌠𞣇ƖǀΙ𝚰𝛪𝜤𝝞𝞘ⲒІӀוןا𞸀𞺀ﺎﺍߊⵏᛁꓲ𖼨𐊊𐌉𝈪ⳐᏞᒪꓡ𖼖𑢣𑢲𐐛𐔦',
  m: 'Μ𝚳𝛭𝜧𝝡𝞛ϺⲘМᎷᗰᛖꓟ𐊰𐌑',
  n: 'ոռΝ𝚴𝛮𝜨𝝢𝞜Ⲛꓠ𐔓',
  o: 'ంಂംං०੦૦௦౦೦൦๐໐၀٥۵ᴏᴑꬽο𝛐𝜊𝝄𝝾𝞸σ𝛔𝜎𝝈𝞂𝞼ⲟоჿօסه𞸤𞹤𞺄ﻫﻬﻪﻩھﮬﮭﮫﮪہﮨﮩﮧﮦەഠဝ𐓪𑣈𑣗𐐬߀০୦〇𑓐𑣠Ο𝚶𝛰𝜪𝝤𝞞ⲞОՕⵔዐଠ𐓂ꓳ𑢵𐊒𐊫𐐄𐔖',
  p: '⍴ρϱ𝛒𝛠𝜌𝜚𝝆𝝔𝞀𝞎𝞺𝟈ⲣрΡ𝚸𝛲𝜬𝝦𝞠ⲢРᏢᑭꓑ𐊕',
  q: 'ԛգզⵕ',
  r: 'ꭇꭈᴦⲅгꮁ𝈖ƦᎡᏒ𐒴ᖇꓣ𖼵',
  s: 'ꜱƽѕꮪ𑣁𐑈ЅՏᏕᏚꓢ𖼺𐊖𐐠',
  t: '⊤⟙🝨Τ𝚻𝛵𝜯𝝩𝞣ⲦТᎢꓔ𖼊𑢼𐊗𐊱𐌕',
  u: 'ꞟᴜꭎꭒʋυ𝛖𝜐𝝊𝞄𝞾ս𐓶𑣘∪⋃Սሀ𐓎ᑌꓴ𖽂𑢸',
  v: '∨⋁ᴠν𝛎𝜈𝝂𝝼𝞶ѵט𑜆ꮩ𑣀𝈍٧۷ѴⴸᏙᐯꛟꓦ𖼈𑢠𐔝',
  w: 'ɯᴡѡԝա𑜊𑜎𑜏ꮃ𑣯𑣦ԜᎳᏔꓪ',
  x: '᙮×⤫⤬⨯хᕁᕽ᙭╳𐌢𑣬ꞳΧ𝚾𝛸𝜲𝝬𝞦ⲬХⵝᚷꓫ𐊐𐊴𐌗𐔧',
  y: 'ɣᶌʏỿꭚγℽ𝛄𝛾𝜸𝝲𝞬уүყ𑣜Υϒ𝚼𝛶𝜰𝝪𝞤ⲨУҮᎩᎽꓬ𖽃𑢤𐊲',
  z: 'ᴢꮓ𑣄𐋵𑣥Ζ𝚭𝛧𝜡𝝛𝞕Ꮓꓜ𑢩',
};
