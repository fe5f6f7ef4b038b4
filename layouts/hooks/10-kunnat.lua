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

-- Pohjois-Karjalan kunnat: ryhmän pk-kunnat jäsenet (muiden alueiden
-- esimerkkikunnat eivät saa omaa sivua).
local kunnat = {}
local group = kasikirja.data.toimija["pk-kunnat"]
for _, t in ipairs(group and group.jasenet or {}) do
  if t.laji == "kunta" then kunnat[#kunnat + 1] = t end
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

local index = { "Pohjois-Karjalan kunnat. Jokaisen kunnan sivulla on sen foorumit, roolit, lakisääteiset neuvottelut ja osuus vastuunjaosta.", "" }
for _, k in ipairs(kunnat) do index[#index + 1] = "- [" .. k.nimi .. "](/kunnat/" .. k.id .. "/)" end
kasikirja.page{ path = "kunnat/", title = "Kunnat", markdown = table.concat(index, "\n") }
