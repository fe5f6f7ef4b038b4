-- Kuntakohtaiset sivut: jokaiselle kunnalle oma sivu osoitteeseen kunnat/<id>/
-- sekä kuntien luettelo osoitteeseen kunnat/. Tiedot tulevat rakennetiedoista
-- (content/data/), joten sivut päivittyvät, kun tiedot muuttuvat.

local function list_or_none(items, none)
  if #items == 0 then return { "- " .. none } end
  return items
end

-- Foorumin rivi: nimi linkkinä, malli, tiheys ja ajoitus.
local function forum_line(f)
  local parts = { f.malli.nimi, f.tiheys_teksti }
  if f.ajoitus_teksti and f.ajoitus_teksti ~= "" then parts[#parts + 1] = f.ajoitus_teksti end
  return "- [" .. f.nimi .. "](foorumi:" .. f.id .. ") – " .. table.concat(parts, ", ")
end

-- Kunta ja ryhmät, joihin se kuuluu: niiden nimissä kunta on mukana.
local function selves(k)
  local set = { [k.id] = true }
  for _, g in ipairs(k.ryhmat or {}) do set[g.id] = true end
  return set
end

-- Mitkä kunnat saavat sivun. Oletuksena nykyisen mallin (nykyinen: true) kunnat:
-- toimijat, joiden laji on kunta ja jotka osallistuvat mallin foorumeihin tai
-- kutsuvat niitä koolle, suoraan tai ryhmän, toimielimen tai roolin kautta
-- (osallistuu ja kutsuu sisältävät välilliset). Jos site.yaml nimeää ryhmän
-- (params: kunnat: <ryhmän id>), sivun saavat sen ryhmän jäsenet, joiden laji on
-- kunta. Muiden mallien esimerkkikunnat eivät saa sivua.
local data = kasikirja.data
local malli = data.nykyinen_malli
local setting = (kasikirja.config.params or {}).kunnat
local kunnat = {}
local why -- miksi kuntia ei löytynyt (varoitus)

if setting ~= nil then
  local id = tostring(setting)
  local group = data.toimija and data.toimija[id]
  if not group then
    why = "site.yaml params.kunnat names '" .. id .. "', which is not a party or group of the model"
  else
    for _, t in ipairs(group.jasenet or {}) do
      if t.laji == "kunta" then kunnat[#kunnat + 1] = t end
    end
    why = "the group '" .. id .. "' named in site.yaml params.kunnat has no members of kind 'kunta'"
  end
elseif malli then
  local function takes_part(t)
    for _, key in ipairs({ "osallistuu", "kutsuu" }) do
      for _, f in ipairs(t[key] or {}) do
        if f.malli and f.malli.id == malli.id then return true end
      end
    end
    return false
  end
  for _, t in ipairs(kasikirja.parties) do
    if t.laji == "kunta" and takes_part(t) then kunnat[#kunnat + 1] = t end
  end
  why = "no party of kind 'kunta' takes part in the forums of the current model '" .. malli.id
    .. "', directly or through a group, body or role"
elseif #kasikirja.models > 0 then
  why = "there is no current model (nykyinen: true) to take the municipalities from"
end
-- Sivusto ilman rakennetietoja (pelkkä Markdown) ei saa kuntasivuja eikä varoitusta.
if #kunnat == 0 then
  if why then
    local hint = setting == nil and "; to choose them, name their group in site.yaml (params: kunnat: <group id>)" or ""
    kasikirja.warn(why .. ", so no municipality pages (kunnat/) were made" .. hint)
  end
  return
end
table.sort(kunnat, function(a, b) return a.nimi < b.nimi end)

for _, k in ipairs(kunnat) do
  local me = selves(k)
  local md = {}
  local function add(s) md[#md + 1] = s end

  add("Tälle sivulle on koottu rakennetiedoista kaikki, mikä koskee kuntaa: foorumit, joihin kunta osallistuu tai jotka se kutsuu koolle, roolit, lakisääteiset neuvottelut ja kunnan osuus vastuunjakotaulukosta. Kunnan tiedot toimijana ovat sivulla [" .. k.nimi .. "](toimija:" .. k.id .. ").")
  add("")

  add("## Kunta kutsuu koolle")
  add("")
  local convenes = {}
  for _, f in ipairs(k.kutsuu or {}) do convenes[#convenes + 1] = forum_line(f) end
  for _, line in ipairs(list_or_none(convenes, "Kunta ei kutsu koolle yhtään foorumia.")) do add(line) end
  add("")

  add("## Kunta osallistuu")
  add("")
  local joins = {}
  for _, f in ipairs(k.osallistuu or {}) do joins[#joins + 1] = forum_line(f) end
  for _, line in ipairs(list_or_none(joins, "Kuntaa ei ole merkitty minkään foorumin osallistujaksi.")) do add(line) end
  add("")

  add("## Lakisääteiset neuvottelut")
  add("")
  add("Foorumit, joihin kunta osallistuu tai jotka se kutsuu koolle ja joiden perusta on laissa, sekä niiden ajoitus:")
  add("")
  local seen, negotiations = {}, {}
  for _, key in ipairs({ "kutsuu", "osallistuu" }) do
    for _, f in ipairs(k[key] or {}) do
      if not seen[f.id] and #(f.lakiperusta or {}) > 0 then
        seen[f.id] = true
        local laws = {}
        for _, l in ipairs(f.lakiperusta) do laws[#laws + 1] = l.teksti end
        local when = (f.ajoitus_teksti and f.ajoitus_teksti ~= "") and f.ajoitus_teksti or "ajoitusta ei ole kirjattu"
        negotiations[#negotiations + 1] = "- [" .. f.nimi .. "](foorumi:" .. f.id .. ") (" .. f.malli.nimi .. "): " .. table.concat(laws, ", ") .. "; " .. f.tiheys_teksti .. "; " .. when
      end
    end
  end
  for _, line in ipairs(list_or_none(negotiations, "Ei kirjattuja lakisääteisiä neuvotteluja.")) do add(line) end
  add("")

  add("## Roolit")
  add("")
  local roles = {}
  for _, holder in ipairs({ k, table.unpack(k.ryhmat or {}) }) do
    for _, r in ipairs(holder.roolit or {}) do roles[#roles + 1] = "- [" .. r.nimi .. "](toimija:" .. r.id .. ")" end
    for _, e in ipairs(holder.elimet or {}) do roles[#roles + 1] = "- [" .. e.nimi .. "](toimija:" .. e.id .. ")" end
  end
  for _, line in ipairs(list_or_none(roles, "Ei kirjattuja rooleja.")) do add(line) end
  add("")

  add("## Osuus vastuunjakotaulukosta")
  add("")
  local rows = {}
  for _, t in ipairs(kasikirja.tables) do
    for _, task in ipairs(t.tehtavat) do
      for _, cell in ipairs(task.solut) do
        if cell.rooli and me[cell.osapuoli.id] then
          rows[#rows + 1] = "| " .. task.tehtava .. " | " .. cell.osapuoli.nimi .. " | " .. cell.rooli .. " |"
        end
      end
    end
  end
  if #rows == 0 then
    add("Kunnalle ei ole kirjattu tehtäviä vastuunjakotaulukossa.")
  else
    add("| Tehtävä | Kenen nimissä | Rooli |")
    add("|---|---|---|")
    for _, row in ipairs(rows) do add(row) end
  end

  kasikirja.page{ path = "kunnat/" .. k.id .. "/", title = k.nimi, markdown = table.concat(md, "\n") }
end

local alue = malli and malli.alue
local intro = (alue and alue ~= "") and ("Alueen kunnat (" .. alue .. ").") or "Alueen kunnat."
local index = { intro .. " Jokaisen kunnan sivulla on sen foorumit, roolit, lakisääteiset neuvottelut ja osuus vastuunjaosta.", "" }
for _, k in ipairs(kunnat) do index[#index + 1] = "- [" .. k.nimi .. "](/kunnat/" .. k.id .. "/)" end
kasikirja.page{ path = "kunnat/", title = "Kunnat", markdown = table.concat(index, "\n") }
