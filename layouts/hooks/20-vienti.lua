-- Tiedostot muille ohjelmille: vastuunjako.csv (avautuu suoraan suomenkieliseen
-- Exceliin: UTF-8 ja BOM, erottimena puolipiste), Excel-työkirja vastuunjako.xlsx
-- (välilehti kustakin vastuunjakotaulukosta ja foorumeista) ja koko mallin
-- JSON-vienti malli.json. Monikielisellä sivustolla (languages: [fi, sv]) kullakin kielellä
-- on omansa: oletuskielen juuressa, muiden kielen kansiossa (sv/vastuunjako.csv). Otsikot ja
-- roolit tulevat käyttöliittymätekstien ryhmästä vienti (layouts/kielet/<kieli>.yaml), tiedot
-- sen kielen teksteinä (suomeksi, jos käännöstä ei ole).

-- Sivusto, jolla ei ole rakennetietoja, ei saa tyhjiä vientitiedostoja.
if #kasikirja.tables == 0 and #kasikirja.models == 0 and #kasikirja.parties == 0 then
  return
end

local BOM = "\239\187\191"

-- Solu CSV:hen: kaava-injektio estetään (=, +, -, @ alkuun heittomerkki),
-- ja solu lainataan, jos siinä on erotin, lainausmerkki tai rivinvaihto.
local function cell(value)
  local s = tostring(value or "")
  if s:match("^[=+%-@\t\r]") then s = "'" .. s end
  if s:find('[;"\r\n]') then s = '"' .. (s:gsub('"', '""')) .. '"' end
  return s
end

-- Excel-työkirja: solut ovat aina tekstiä (kasikirja.xlsx ei kirjoita kaavoja), joten
-- heittomerkkiä ei tarvita. Välilehden nimeksi taulukon nimi; Excel sallii enintään
-- 31 merkkiä ilman merkkejä []:*?/\, joten pitkä nimi lyhennetään sanan rajalta.
local function sheet_name(name)
  name = name:gsub("[%[%]:%*%?/\\]", "-")
  if utf8.len(name) <= 31 then return name end
  local cut = name:sub(1, utf8.offset(name, 31) - 1)
  cut = cut:match("^(.*%S)%s+%S*$") or cut
  if utf8.len(cut) > 30 then cut = cut:sub(1, utf8.offset(cut, 31) - 1) end
  return cut .. "…"
end

local function names(list, sep)
  local out = {}
  for _, e in ipairs(list or {}) do out[#out + 1] = e.nimi or e.teksti or "" end
  return table.concat(out, sep)
end

-- JSON: viittaukset tunnisteina, jotta vienti on puu eikä verkko.
local function ids(list)
  local out = {}
  for _, e in ipairs(list or {}) do out[#out + 1] = e.id end
  return out
end
local function texts(list, key)
  local out = {}
  for _, e in ipairs(list or {}) do out[#out + 1] = e[key] end
  return out
end

-- Vastuunjako CSV-tiedostoksi; t = kielen tekstit (vienti.<avain>).
local function write_csv(data, t, prefix)
  local lines = {}
  for _, tbl in ipairs(data.taulukot or {}) do
    local header = { t("taulukko"), t("tehtava"), t("teema") }
    for _, p in ipairs(tbl.osapuolet) do header[#header + 1] = p.nimi end
    local row = {}
    for i, h in ipairs(header) do row[i] = cell(h) end
    lines[#lines + 1] = table.concat(row, ";")
    for _, task in ipairs(tbl.tehtavat) do
      local r = { cell(tbl.nimi), cell(task.tehtava), cell(task.teema) }
      for _, c in ipairs(task.solut) do r[#r + 1] = cell(c.rooli and t("rooli_" .. c.rooli)) end
      lines[#lines + 1] = table.concat(r, ";")
    end
  end
  if #lines > 0 then
    kasikirja.file{ path = prefix .. "vastuunjako.csv", content = BOM .. table.concat(lines, "\r\n") .. "\r\n" }
  end
end

local function write_xlsx(data, t, prefix)
  local sheets = {}
  for _, tbl in ipairs(data.taulukot or {}) do
    local columns = { t("tehtava"), t("teema") }
    for _, p in ipairs(tbl.osapuolet) do columns[#columns + 1] = p.nimi end
    local rows = {}
    for _, task in ipairs(tbl.tehtavat) do
      local r = { task.tehtava or "", task.teema or "" }
      for _, c in ipairs(task.solut) do r[#r + 1] = c.rooli and t("rooli_" .. c.rooli) or "" end
      rows[#rows + 1] = r
    end
    sheets[#sheets + 1] = { name = sheet_name(tbl.nimi), columns = columns, rows = rows }
  end
  local forums = {}
  for _, m in ipairs(data.mallit or {}) do
    for _, f in ipairs(m.foorumit or {}) do
      forums[#forums + 1] = {
        m.nimi, f.taso_nimi or f.taso or "", f.nimi, f.kutsuja and f.kutsuja.nimi or "",
        names(f.osallistujat, ", "), f.tiheys_teksti or "", f.ajoitus_teksti or "", names(f.lakiperusta, "; "),
      }
    end
  end
  sheets[#sheets + 1] = {
    name = t("foorumit"),
    columns = { t("malli"), t("taso"), t("foorumi"), t("kutsuja"), t("osallistujat"), t("kuinka_usein"),
                t("kuukaudet"), t("lakiperusta") },
    rows = forums,
  }
  kasikirja.xlsx{ path = prefix .. "vastuunjako.xlsx", sheets = sheets }
end

local function write_json(data, prefix)
  local export = { toimijat = {}, mallit = {}, lait = {}, asiakirjat = {}, tapahtumat = {} }
  for _, group in ipairs({ data.toimijat or {}, data.ryhmat or {}, data.roolit or {} }) do
    for _, t in ipairs(group) do
      export.toimijat[#export.toimijat + 1] = {
        id = t.id, nimi = t.nimi, tyyppi = t.tyyppi, laji = t.laji,
        osa = t.osa and t.osa.id, toimija = t.toimija and t.toimija.id, jasenet = ids(t.jasenet),
      }
    end
  end
  for _, m in ipairs(data.mallit or {}) do
    local forums = {}
    for _, f in ipairs(m.foorumit or {}) do
      forums[#forums + 1] = {
        id = f.lyhyt_id, nimi = f.nimi, taso = f.taso, kutsuja = f.kutsuja.id,
        osallistujat = ids(f.osallistujat), tiheys = f.tiheys, ajoitus = texts(f.ajoitus, "nro"),
        lakiperusta = texts(f.lakiperusta, "teksti"), tuotokset = ids(f.tuotokset), tarkoitus = f.tarkoitus,
      }
    end
    export.mallit[#export.mallit + 1] = {
      id = m.id, nimi = m.nimi, tila = m.tila, nykyinen = m.nykyinen,
      edeltaja = m.edeltaja and m.edeltaja.id, foorumit = forums,
    }
  end
  for _, law in ipairs(data.lait or {}) do
    local sections = {}
    for _, s in ipairs(law.pykalat or {}) do
      local duties = {}
      for _, o in ipairs(s.velvoitteet or {}) do
        duties[#duties + 1] = { id = o.id, kuvaus = o.kuvaus, taytetty = o.taytetty, tayttajat = ids(o.tayttajat) }
      end
      sections[#sections + 1] = { pykala = s.pykala, otsikko = s.otsikko, velvoitteet = duties }
    end
    export.lait[#export.lait + 1] = { numero = law.numero, nimi = law.nimi, pykalat = sections }
  end
  for _, d in ipairs(data.asiakirjat or {}) do
    export.asiakirjat[#export.asiakirjat + 1] = {
      id = d.id, nimi = d.nimi, laji = d.laji, omistaja = d.omistaja.id, tila = d.tila, sykli = d.sykli,
    }
  end
  for _, e in ipairs(data.tapahtumat or {}) do
    export.tapahtumat[#export.tapahtumat + 1] = {
      id = e.id, nimi = e.nimi, kuukaudet = texts(e.kuukaudet, "nro"), alku = e.alku, loppu = e.loppu,
      foorumi = e.foorumi and e.foorumi.id, vastuu = e.vastuu and e.vastuu.id,
    }
  end
  kasikirja.file{ path = prefix .. "malli.json", content = kasikirja.json(export) .. "\n" }
end

-- Oletuskieli juureen, muut kielet kansioihinsa.
for i, lang in ipairs(kasikirja.languages) do
  local data = i == 1 and kasikirja.data or kasikirja.data_lang(lang)
  local prefix = i == 1 and "" or lang .. "/"
  local function t(key) return kasikirja.text("vienti." .. key, lang) end
  write_csv(data, t, prefix)
  write_xlsx(data, t, prefix)
  write_json(data, prefix)
end
