# Rebuilds static/images/photos/ from the unpacked scikit-image wheel and the
# lomiri-wallpapers-16.04 Debian package (paths below); needs Pillow and piexif.
# See static/images/photos/CREDITS.md for sources and licences.
import io, piexif
from PIL import Image
SK='/tmp/photos-src/sk/skimage/data/'
SEED='/tmp/debs/x/lomiri-wallpapers-16.04/usr/share/backgrounds/seeding_by_Clements_Engelhardt.jpg'
OUT='/work/wt-strip/static/images/photos/'

def dms(v):
    d=int(v); m=int((v-d)*60); s=round(((v-d)*60-m)*60*100)
    return ((d,1),(m,1),(s,100))

def exif(lat, lon, make, model, serial, orientation=1, when='2026:03:14 09:41:07'):
    zeroth={piexif.ImageIFD.Make:make, piexif.ImageIFD.Model:model,
            piexif.ImageIFD.Orientation:orientation, piexif.ImageIFD.Software:'PhoneOS 17.2',
            piexif.ImageIFD.DateTime:when, piexif.ImageIFD.Artist:'Staff photographer'}
    ex={piexif.ExifIFD.DateTimeOriginal:when, piexif.ExifIFD.BodySerialNumber:serial,
        piexif.ExifIFD.LensMake:make, piexif.ExifIFD.CameraOwnerName:'Newsroom photo desk'}
    gps={piexif.GPSIFD.GPSLatitudeRef:'N', piexif.GPSIFD.GPSLatitude:dms(lat),
         piexif.GPSIFD.GPSLongitudeRef:'E', piexif.GPSIFD.GPSLongitude:dms(lon),
         piexif.GPSIFD.GPSAltitudeRef:0, piexif.GPSIFD.GPSAltitude:(23,1)}
    return piexif.dump({'0th':zeroth,'Exif':ex,'GPS':gps,'1st':{},'thumbnail':None})

def save(im, name, exif_bytes=None, width=2400):
    im=im.convert('RGB')
    if im.width>width:
        im=im.resize((width, round(im.height*width/im.width)), Image.LANCZOS)
    kw=dict(quality=85, optimize=True, progressive=False)
    if exif_bytes: kw['exif']=exif_bytes
    im.save(OUT+name, 'JPEG', **kw)

# 1. Field at sunset (CC0), stored sideways: orientation 6 = rotate 90° clockwise to show.
seed=Image.open(SEED)
seed=seed.resize((2400, round(seed.height*2400/seed.width)), Image.LANCZOS)
stored=seed.transpose(Image.ROTATE_90)  # counter-clockwise; EXIF 6 turns it back
save(stored, 'field-sunset.jpg', exif(31.0409, 31.3785, 'PhoneMaker', 'PM-12 Pro', 'SN-4F2A-90817-SECRET', 6), width=5000)
# 2. Photographer at work (CC0), with Cairo GPS and a serial number.
save(Image.open(SK+'camera.png'), 'photographer.jpg', exif(30.0444, 31.2357, 'Nikon', 'D750', '6012345-SECRET', 1, '2026:04:02 10:15:00'))
# 3. Coffee cup (CC0), with Cairo GPS.
save(Image.open(SK+'coffee.png'), 'coffee-cup.jpg', exif(30.0534, 31.2466, 'Canon', 'EOS R6', 'CN-031188-SECRET', 1, '2026:05:20 17:02:44'))
# 4-6. Public-domain NASA/SpaceX photographs, no metadata.
save(Image.open(SK+'rocket.jpg'), 'rocket-launch-pad.jpg')
save(Image.open(SK+'astronaut.png'), 'astronaut-portrait.jpg')
save(Image.open(SK+'hubble_deep_field.jpg'), 'hubble-deep-field.jpg')
